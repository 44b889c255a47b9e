import { z } from 'zod';
import { clientMessageId, MAX_USER_MESSAGE_CHARS, messageText } from './inputs.ts';
import { attachmentIds, messageContext } from './message-extras.ts';

/** What a WebSocket client may send (docs/protocol.md). Anything else is answered with a `rejected` frame. */
export const clientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message.send'),
    text: messageText,
    clientMessageId: clientMessageId.optional(),
    context: messageContext.optional(),
    attachments: attachmentIds.optional(),
  }),
  z.object({ type: z.literal('resume'), after: z.number().int().min(0) }),
  z.object({ type: z.literal('cancel') }),
  /** A person's decision on a tool call waiting for approval (`tool.approval_requested`). */
  z.object({
    type: z.literal('tool.approval'),
    approvalId: z.string().min(1).max(64),
    decision: z.enum(['approve', 'deny']),
  }),
]);

export type ClientMessage = z.infer<typeof clientMessage>;

// A frame larger than the largest valid message plus its envelope is refused before parsing.
export const MAX_CLIENT_FRAME_BYTES = 200_000;

export function parseClientFrame(
  frame: string | ArrayBuffer,
): { ok: true; message: ClientMessage } | { ok: false; error: { code: string; message: string } } {
  const text = typeof frame === 'string' ? frame : new TextDecoder().decode(frame);
  if (text.length > MAX_CLIENT_FRAME_BYTES)
    return { ok: false, error: { code: 'payload_too_large', message: 'Frame too large' } };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: { code: 'invalid_json', message: 'Frame is not valid JSON' } };
  }
  const quick = plainMessageSend(json);
  if (quick) return { ok: true, message: quick };
  const parsed = clientMessage.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'type').join(', ');
    return { ok: false, error: { code: 'invalid_request', message: `Invalid ${fields}` } };
  }
  return { ok: true, message: parsed.data };
}

/** clientMessageId's pattern (inputs.ts), for the check below. */
const CLIENT_MESSAGE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The frame a chat client sends on every turn, `{type: "message.send", text, clientMessageId?}`, checked by hand: the
 * zod parse costs ≈ 0.5 ms of a turn's CPU (bench/README.md). It answers only for a valid frame of exactly that shape,
 * with the value `clientMessage` would give; anything else (another type, context, attachments, any invalid field)
 * returns undefined and goes through the schema, which stays the contract and writes every error
 * (client-messages.unit.test.ts holds the two together).
 */
export function plainMessageSend(json: unknown): Extract<ClientMessage, { type: 'message.send' }> | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const frame = json as Record<string, unknown>;
  for (const key in frame) {
    if (key !== 'type' && key !== 'text' && key !== 'clientMessageId') return undefined;
  }
  if (frame.type !== 'message.send' || typeof frame.text !== 'string') return undefined;
  const text = frame.text.trim();
  if (text.length < 1 || text.length > MAX_USER_MESSAGE_CHARS) return undefined;
  const id = frame.clientMessageId;
  // JSON has no undefined: an absent key is the only way here.
  if (id === undefined) return { type: 'message.send', text };
  if (typeof id !== 'string' || !CLIENT_MESSAGE_ID.test(id)) return undefined;
  return { type: 'message.send', text, clientMessageId: id };
}
