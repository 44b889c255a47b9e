import { describe, expect, it } from 'vitest';
import { estimateTokens, windowHistory } from './history.ts';
import type { ConversationMessage } from './protocol.ts';

let position = 0;
const message = (
  role: 'user' | 'assistant',
  content: string,
  status: ConversationMessage['status'] = 'complete',
): ConversationMessage => ({
  id: `msg_${++position}`,
  position,
  role,
  content,
  status,
  turnId: 'turn',
  clientMessageId: null,
  error: null,
  providerId: null,
  model: null,
  usage: null,
  finishReason: null,
  metadata: {},
  createdAt: position,
  completedAt: position,
});

describe('windowHistory', () => {
  it('keeps the newest messages that fit the budget, starting with a user message', () => {
    const history = [
      message('user', 'a'.repeat(400)),
      message('assistant', 'b'.repeat(400)),
      message('user', 'c'.repeat(400)),
      message('assistant', 'd'.repeat(400)),
      message('user', 'latest question'),
    ];
    // 100 tokens each for the long ones: a budget of 250 fits the last three, then drops a leading assistant.
    const windowed = windowHistory(history, 250);
    expect(windowed.map((m) => m.content[0])).toEqual(['c', 'd', 'l']);
    expect(windowed[0]?.role).toBe('user');
  });

  it('always keeps the newest message, even alone over budget', () => {
    const windowed = windowHistory([message('user', 'x'.repeat(10_000))], 10);
    expect(windowed).toHaveLength(1);
  });

  it('leaves out failed and empty replies but keeps stopped ones', () => {
    const windowed = windowHistory(
      [
        message('user', 'q1'),
        message('assistant', 'boom', 'error'),
        message('user', 'q2'),
        message('assistant', 'partial', 'stopped'),
        message('user', 'q3'),
      ],
      1000,
    );
    expect(windowed.map((m) => m.content)).toEqual(['q1', 'q2', 'partial', 'q3']);
  });

  it('estimates about four characters per token', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
  });
});
