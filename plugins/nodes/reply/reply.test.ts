import { describe, expect, it } from 'vitest';
import { runNodeContract } from '../../sdk/contracts/node.contract.ts';
import { MAX_REPLY_CHARS } from '../../sdk/index.ts';
import { runNodeKind } from '../../sdk/testing/node-harness.ts';
import { replyNode } from './index.ts';
import { replyKind } from './reply.ts';

runNodeContract(replyNode, {
  examples: [{ settings: { text: 'Hello there' } }, { settings: {}, input: { order: 42 } }],
  invalidSettings: [
    { settings: { text: '' }, why: 'an empty text (omit it to reply with the input)' },
    { settings: { text: 'x'.repeat(MAX_REPLY_CHARS + 1) }, why: 'a text over the reply cap' },
    { settings: { message: 'hi' }, why: 'unknown settings' },
  ],
});

describe('reply', () => {
  it('sends its text and passes its input on', async () => {
    const result = await runNodeKind(replyKind, { settings: { text: 'One moment…' }, input: 'Where is my order?' });
    expect(result.replies).toEqual(['One moment…']);
    expect(result.output).toBe('Where is my order?');
  });

  it('without text sends its input (objects as JSON, capped); an empty input sends nothing', async () => {
    expect((await runNodeKind(replyKind, { settings: {}, input: { a: 1 } })).replies).toEqual(['{"a":1}']);
    const long = await runNodeKind(replyKind, { settings: {}, input: 'y'.repeat(MAX_REPLY_CHARS + 10) });
    expect(long.replies[0]).toHaveLength(MAX_REPLY_CHARS);
    expect((await runNodeKind(replyKind, { settings: {}, input: '' })).replies).toEqual([]);
  });
});
