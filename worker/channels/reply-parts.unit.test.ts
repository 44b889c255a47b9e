import { describe, expect, it } from 'vitest';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { backoffMs } from './delivery.ts';
import { channelOptions } from './options.ts';
import { replyText, splitForEdit } from './reply-parts.ts';

const options = channelOptions.parse({ errorReply: 'Something broke.' });
const message = (content: string, status: ConversationMessage['status']) =>
  ({ content, status }) as ConversationMessage;

describe('what a chat receives', () => {
  it('sends the text written, the errorReply for a failure with no text, nothing for an empty reply', () => {
    expect(replyText(message('Hello', 'complete'), options)).toBe('Hello');
    expect(replyText(message('Half an answ', 'error'), options)).toBe('Half an answ');
    expect(replyText(message('', 'error'), options)).toBe('Something broke.');
    expect(replyText(message('  ', 'stopped'), options)).toBeNull();
  });

  it('keeps a short reply whole for the final edit and cuts a long one at a word, losing nothing', () => {
    expect(splitForEdit('short reply', 4096)).toEqual({ first: 'short reply', rest: '' });
    const words = Array.from({ length: 1200 }, (_, i) => `w${i}`).join(' ');
    const { first, rest } = splitForEdit(words, 4096);
    expect(first.length).toBeLessThanOrEqual(4096 * 0.75);
    expect(first.endsWith(' ')).toBe(false);
    expect(`${first} ${rest}`).toBe(words);
  });
});

describe('delivery backoff', () => {
  it('doubles from 2 s, caps at 5 minutes, and waits longer when the platform says so', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs(attempt))).toEqual([2_000, 4_000, 8_000, 16_000, 32_000]);
    expect(backoffMs(20)).toBe(300_000);
    expect(backoffMs(1, 7_000)).toBe(7_000);
  });
});
