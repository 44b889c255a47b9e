import { describe, expect, it } from 'vitest';
import { runNodeContract } from '../../sdk/contracts/node.contract.ts';
import { runNodeKind } from '../../sdk/testing/node-harness.ts';
import { endConversationKind } from './end-conversation.ts';
import { endConversationNode } from './index.ts';

runNodeContract(endConversationNode, {
  examples: [{ settings: { reason: 'done' } }, { settings: {} }],
  invalidSettings: [
    { settings: { reason: 'x'.repeat(201) }, why: 'a reason over 200 characters' },
    { settings: { reason: 3 }, why: 'a reason that is not text' },
  ],
});

describe('end_conversation', () => {
  it('marks the conversation ended with its reason and passes its input on', async () => {
    const result = await runNodeKind(endConversationKind, { settings: { reason: 'resolved' }, input: 'bye' });
    expect(result.ended).toBe('resolved');
    expect(result.output).toBe('bye');
    expect(result.replies).toEqual([]);
  });

  it('without a reason ends with an empty one', async () => {
    expect((await runNodeKind(endConversationKind, { settings: {} })).ended).toBe('');
  });
});
