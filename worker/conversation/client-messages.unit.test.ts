import { describe, expect, it } from 'vitest';
import { clientMessage, parseClientFrame, plainMessageSend } from './client-messages.ts';
import { MAX_USER_MESSAGE_CHARS } from './inputs.ts';

/** Frames a client might send: valid and invalid, of the hand-checked shape and around it. */
const frames: unknown[] = [
  { type: 'message.send', text: 'hello' },
  { type: 'message.send', text: '  padded  ', clientMessageId: 'c-1' },
  { type: 'message.send', text: 'x'.repeat(MAX_USER_MESSAGE_CHARS) },
  { type: 'message.send', text: ` ${'x'.repeat(MAX_USER_MESSAGE_CHARS)} ` },
  { type: 'message.send', text: 'x'.repeat(MAX_USER_MESSAGE_CHARS + 1) },
  { type: 'message.send', text: '' },
  { type: 'message.send', text: ' \n\t ' },
  { type: 'message.send', text: 42 },
  { type: 'message.send', text: null },
  { type: 'message.send' },
  { type: 'message.send', text: 'hi', clientMessageId: '' },
  { type: 'message.send', text: 'hi', clientMessageId: 'a'.repeat(100) },
  { type: 'message.send', text: 'hi', clientMessageId: 'a'.repeat(101) },
  { type: 'message.send', text: 'hi', clientMessageId: 'has space' },
  { type: 'message.send', text: 'hi', clientMessageId: 'ok.id_with:all-chars' },
  { type: 'message.send', text: 'hi', clientMessageId: 7 },
  { type: 'message.send', text: 'hi', clientMessageId: null },
  { type: 'message.send', text: 'hi', extra: true },
  { type: 'message.send', text: 'hi', context: { title: 'Pricing' } },
  { type: 'message.send', text: 'hi', context: { url: 'ftp://x' } },
  { type: 'message.send', text: 'hi', attachments: [] },
  { type: 'message.send', text: 'hi', attachments: ['nope'] },
  { type: 'message.sent', text: 'hi' },
  { type: 'resume', after: 3 },
  { type: 'resume', after: -1 },
  { type: 'cancel' },
  { type: 'tool.approval', approvalId: 'apr_1', decision: 'approve' },
  { text: 'hi' },
  ['message.send', 'hi'],
  'message.send',
  null,
  17,
];

describe('the hand-checked message.send frame', () => {
  it('accepts exactly what the zod schema accepts of its shape, with the same value, and leaves the rest to zod', () => {
    let quick = 0;
    for (const frame of frames) {
      const fast = plainMessageSend(frame);
      const schema = clientMessage.safeParse(frame);
      if (fast) {
        quick++;
        expect(schema.success, JSON.stringify(frame).slice(0, 80)).toBe(true);
        expect(fast).toEqual(schema.data);
      }
      // What the fast path declines still gets zod's answer: parseClientFrame agrees with the schema on every frame.
      const parsed = parseClientFrame(JSON.stringify(frame));
      expect(parsed.ok, JSON.stringify(frame).slice(0, 80)).toBe(schema.success);
      if (parsed.ok && schema.success) expect(parsed.message).toEqual(schema.data);
    }
    expect(quick).toBe(6);
  });

  it('rejects an invalid message.send with the error naming the field, as before', () => {
    expect(parseClientFrame(JSON.stringify({ type: 'message.send', text: '   ' }))).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: 'Invalid text' },
    });
    expect(parseClientFrame(JSON.stringify({ type: 'message.send', text: 'hi', clientMessageId: 'a b' }))).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: 'Invalid clientMessageId' },
    });
  });
});
