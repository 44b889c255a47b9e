import { describe, expect, it } from 'vitest';
import { runNodeContract } from '../../sdk/contracts/node.contract.ts';
import { CHUNK_CHARS, chunkText, mergeExtracted } from '../../sdk/index.ts';
import { fakeNodeServices, runNodeKind } from '../../sdk/testing/node-harness.ts';
import { extractStructuredNode } from './index.ts';

const schema = {
  type: 'object',
  properties: {
    name: { type: ['string', 'null'], description: "The customer's name" },
    order: { type: ['integer', 'null'] },
  },
  required: ['name', 'order'],
  additionalProperties: false,
};
const settings = { providerId: 'offline', credentialId: null, model: 'offline-echo', schema, key: 'customer' };
const answering = (json: unknown) => () => fakeNodeServices({ llm: () => ({ json: json as never }) });

runNodeContract(extractStructuredNode, {
  examples: [
    { settings, input: 'I am Ada, order 42', services: answering({ name: 'Ada', order: 42 }) },
    {
      settings: { ...settings, credentialId: 'cred_1', source: 'conversation', instructions: 'Be careful.' },
      services: () =>
        fakeNodeServices({
          llm: () => ({ json: { name: null, order: 7 } }),
          conversationHistory: [{ role: 'user', content: 'order 7' }],
        }),
    },
  ],
  invalidSettings: [
    { settings: { ...settings, schema: { type: 'string' } }, why: 'the schema is not an object schema' },
    { settings: { ...settings, schema: { type: 'object', properties: {} } }, why: 'no properties' },
    { settings: { ...settings, key: 'a key' }, why: 'a run key with a space' },
    { settings: { ...settings, source: 'session' }, why: 'unknown source' },
    { settings: { ...settings, maxInputChars: 500_000 }, why: 'above the input bound' },
  ],
});

const kind = extractStructuredNode.node;

describe('extract_structured', () => {
  it('asks for the schema, stores the answer in the run key and outputs it', async () => {
    const services = fakeNodeServices({ llm: () => ({ json: { name: 'Ada', order: 42 } }) });
    const result = await runNodeKind(kind, { settings, input: 'I am Ada, order 42', services });
    expect(result.output).toEqual({ name: 'Ada', order: 42 });
    expect(result.writes).toEqual([{ scope: 'run', key: 'customer', op: 'set', value: { name: 'Ada', order: 42 } }]);
    expect(services.chats[0]).toMatchObject({
      stream: false,
      responseSchema: { name: 'extracted_data', schema },
      messages: [{ role: 'user', content: 'I am Ada, order 42' }],
    });
  });

  it('fails the node, retryably, with pointer errors when the answer does not match the schema', async () => {
    const services = fakeNodeServices({ llm: () => ({ json: { name: 'Ada', order: 'many' } }) });
    const failure = runNodeKind(kind, { settings, input: 'x', services });
    await expect(failure).rejects.toMatchObject({
      name: 'NodeError',
      retryable: true,
      message: expect.stringContaining('/order: type "string" is invalid'),
    });
  });

  it('reads a long input in chunks, shows each call the data so far and merges the answers', async () => {
    const answers = [
      { name: 'Ada', order: null },
      { name: null, order: 42 },
      { name: 'Ada Lovelace', order: null },
    ];
    const services = fakeNodeServices({ llm: (_request, index) => ({ json: answers[index] }) });
    const input = `${'a '.repeat(CHUNK_CHARS / 2)}${'b '.repeat(CHUNK_CHARS / 2)}${'c '.repeat(100)}`;
    const result = await runNodeKind(kind, { settings, input, services });
    expect(services.chats).toHaveLength(3);
    expect(services.chats[1]?.system).toContain('{"name":"Ada"}');
    expect(services.chats[2]?.system).toContain('part 3 of 3');
    expect(result.output).toEqual({ name: 'Ada Lovelace', order: 42 });
  });

  it('bounds what it reads by maxInputChars', async () => {
    const services = fakeNodeServices({ llm: () => ({ json: { name: 'x', order: 1 } }) });
    await runNodeKind(kind, { settings: { ...settings, maxInputChars: 1_000 }, input: 'z'.repeat(50_000), services });
    expect(services.chats).toHaveLength(1);
    expect(services.chats[0]?.messages[0]?.content).toHaveLength(1_000);
  });

  it('with source conversation, reads the latest messages as a transcript', async () => {
    const services = fakeNodeServices({
      llm: () => ({ json: { name: 'Bo', order: null } }),
      conversationHistory: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello, who are you?' },
        { role: 'user', content: 'Bo' },
      ],
    });
    await runNodeKind(kind, { settings: { ...settings, source: 'conversation', historyMessages: 2 }, services });
    expect(services.chats[0]?.messages).toEqual([
      { role: 'user', content: 'assistant: hello, who are you?\nuser: Bo' },
    ]);
  });

  it('fails without calling the model when there is nothing to read', async () => {
    const services = fakeNodeServices();
    await expect(runNodeKind(kind, { settings, input: '  ', services })).rejects.toThrow(/no text to extract/);
    expect(services.chats).toEqual([]);
  });
});

describe('chunking and merging', () => {
  it('cuts at a line break or space in the second half of a window, else hard', () => {
    expect(chunkText('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb ', 'cccc']);
    expect(chunkText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    expect(chunkText('')).toEqual([]);
  });

  it('lets later non-null values win', () => {
    expect(mergeExtracted({ a: 1, b: 2 }, { a: null, b: 3, c: null })).toEqual({ a: 1, b: 3, c: null });
  });
});
