import { describe, expect, it } from 'vitest';
import { runNodeContract } from '../../sdk/contracts/node.contract.ts';
import type { KnowledgeSearchRequest, RetrievedChunk } from '../../sdk/index.ts';
import { fakeNodeServices, runNodeKind } from '../../sdk/testing/node-harness.ts';
import { knowledgeRetrievalNode } from './index.ts';
import { MAX_QUERY_CHARS, REWRITE_PROMPT } from './run.ts';

const chunk = (n: number, extra: Partial<RetrievedChunk> = {}): RetrievedChunk => ({
  n,
  collectionId: 'kcol_a',
  documentId: `kdoc_${n}`,
  documentTitle: `Manual ${n}`,
  chunkKey: `key${n}`,
  ordinal: n - 1,
  text: `Hold the reset button for ${n * 10} seconds.`,
  context: 'Router › Reset',
  score: 1 / n,
  ...extra,
});

const finding = (chunks: RetrievedChunk[]) => () =>
  fakeNodeServices({
    knowledge: { collections: [{ collectionId: 'kcol_a', name: 'Manuals', summary: '' }], search: () => chunks },
  });

const settings = { collectionIds: ['kcol_a'] };

runNodeContract(knowledgeRetrievalNode, {
  examples: [
    { settings, input: 'how do I reset the router?', services: finding([chunk(1), chunk(2, { page: 3 })]) },
    {
      settings: { ...settings, query: { type: 'template', template: 'router {{ input }}' }, outputKey: 'docs' },
      input: 'reset',
      services: finding([]),
    },
    {
      settings: {
        ...settings,
        query: { type: 'rewrite', providerId: 'offline', credentialId: 'cred_1', model: 'offline-echo' },
      },
      services: () =>
        fakeNodeServices({ llm: () => ({ json: { query: 'router reset' } }), knowledge: { search: () => [chunk(1)] } }),
    },
  ],
  invalidSettings: [
    { settings: {}, why: 'no collections' },
    { settings: { collectionIds: [] }, why: 'an empty collection list' },
    { settings: { collectionIds: Array.from({ length: 9 }, (_, i) => `c${i}`) }, why: 'more than 8 collections' },
    { settings: { ...settings, topK: 51 }, why: 'topK above Vectorize’s 50' },
    { settings: { ...settings, mode: 'fuzzy' }, why: 'unknown mode' },
    { settings: { ...settings, outputKey: 'a key' }, why: 'a run key with a space' },
    {
      settings: { ...settings, query: { type: 'template', template: '{% if %}' } },
      why: 'a template that fails to parse',
    },
    { settings: { ...settings, query: { type: 'rewrite' } }, why: 'a rewrite without a model' },
    { settings: { ...settings, documentIds: [] }, why: 'an empty document filter' },
  ],
});

const kind = knowledgeRetrievalNode.node;

describe('knowledge_retrieval', () => {
  it('searches with the input and the settings, stores the JSON list and outputs [n]-numbered text', async () => {
    const services = finding([chunk(1), chunk(2, { page: 3 })])();
    const result = await runNodeKind(kind, {
      settings: { ...settings, topK: 2, mode: 'keyword', revision: 'latest', documentIds: ['kdoc_1', 'kdoc_2'] },
      input: 'how do I reset the router?',
      services,
    });
    expect(services.searches).toHaveLength(1);
    expect(services.searches[0]).toMatchObject({
      collectionIds: ['kcol_a'],
      query: 'how do I reset the router?',
      topK: 2,
      mode: 'keyword',
      revision: 'latest',
      documentIds: ['kdoc_1', 'kdoc_2'],
    } satisfies Partial<KnowledgeSearchRequest>);
    expect(result.output).toBe(
      '[1] Manual 1 › Router › Reset\nHold the reset button for 10 seconds.\n\n' +
        '[2] Manual 2 › Router › Reset (page 3)\nHold the reset button for 20 seconds.',
    );
    expect(result.writes).toEqual([
      { scope: 'run', key: 'knowledge', op: 'set', value: [chunk(1), chunk(2, { page: 3 })] },
    ]);
  });

  it('defaults to pinned hybrid search of 5 chunks', async () => {
    const services = finding([])();
    await runNodeKind(kind, { settings, input: 'router', services });
    expect(services.searches[0]).toMatchObject({ topK: 5, mode: 'hybrid', revision: 'pinned' });
    expect(services.searches[0]?.documentIds).toBeUndefined();
  });

  it('renders a template query over input and state', async () => {
    const services = finding([])();
    await runNodeKind(kind, {
      settings: { ...settings, query: { type: 'template', template: '{{ temp_state.product }} {{ input }}' } },
      input: 'reset',
      state: { run: { product: 'Router X2' } },
      services,
    });
    expect(services.searches[0]?.query).toBe('Router X2 reset');
  });

  it('rewrites the last question from the conversation with a structured model call', async () => {
    const services = fakeNodeServices({
      llm: () => ({ json: { query: 'Router X2 factory reset' } }),
      conversationHistory: [
        { role: 'user', content: 'I have a Router X2' },
        { role: 'assistant', content: 'Great, how can I help?' },
        { role: 'user', content: 'how do I reset it?' },
      ],
    });
    const rewrite = {
      type: 'rewrite',
      providerId: 'offline',
      credentialId: null,
      model: 'm',
      instructions: 'Keep model names.',
    };
    await runNodeKind(kind, { settings: { ...settings, query: rewrite }, input: 'how do I reset it?', services });
    expect(services.chats).toHaveLength(1);
    expect(services.chats[0]).toMatchObject({ stream: false, responseSchema: { name: 'search_query' } });
    expect(services.chats[0]?.system).toBe(`${REWRITE_PROMPT}\n\nKeep model names.`);
    expect(services.chats[0]?.messages.map((m) => m.content)).toEqual([
      'I have a Router X2',
      'Great, how can I help?',
      'how do I reset it?',
    ]);
    expect(services.searches[0]?.query).toBe('Router X2 factory reset');
  });

  it('falls back to the input when the rewrite answers an empty query', async () => {
    const services = fakeNodeServices({ llm: () => ({ json: { query: '  ' } }) });
    const rewrite = { type: 'rewrite', providerId: 'offline', credentialId: null, model: 'm' };
    await runNodeKind(kind, { settings: { ...settings, query: rewrite }, input: 'reset', services });
    expect(services.searches[0]?.query).toBe('reset');
  });

  it('searches nothing for an empty query and cuts a long one to the search cap', async () => {
    const empty = finding([chunk(1)])();
    const none = await runNodeKind(kind, { settings, input: '   ', services: empty });
    expect(empty.searches).toHaveLength(0);
    expect(none.output).toBe('');
    expect(none.writes).toEqual([{ scope: 'run', key: 'knowledge', op: 'set', value: [] }]);
    const long = finding([])();
    await runNodeKind(kind, { settings, input: 'x'.repeat(5_000), services: long });
    expect(long.searches[0]?.query).toHaveLength(MAX_QUERY_CHARS);
  });

  it('references each collection and the rewrite credential', () => {
    const parsed = kind.settings.parse({
      collectionIds: ['kcol_a', 'kcol_b'],
      query: { type: 'rewrite', providerId: 'openai', credentialId: 'cred_1', model: 'gpt-4o-mini' },
    });
    expect(kind.references?.(parsed)).toEqual([
      { type: 'collection', id: 'kcol_a', path: 'collectionIds[0]' },
      { type: 'collection', id: 'kcol_b', path: 'collectionIds[1]' },
      { type: 'credential', id: 'cred_1', path: 'query.credentialId' },
    ]);
  });

  it('fails with the host’s error when a collection is refused', async () => {
    const services = fakeNodeServices({
      knowledge: {
        search: () => {
          throw new Error('collection "kcol_x" is not one this chatbot references');
        },
      },
    });
    await expect(runNodeKind(kind, { settings, input: 'router', services })).rejects.toThrow('kcol_x');
  });
});
