import { z } from 'zod';
import { clientMessageId, messageText } from './inputs.ts';
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
  const parsed = clientMessage.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'type').join(', ');
    return { ok: false, error: { code: 'invalid_request', message: `Invalid ${fields}` } };
  }
  return { ok: true, message: parsed.data };
}
