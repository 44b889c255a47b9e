import { z } from 'zod';
import { humanText } from '../http/text.ts';
import { attachmentIds, messageContext } from './message-extras.ts';

/** Longest user message accepted, in characters: far above any chat message, far below the 2 MB row limit. */
export const MAX_USER_MESSAGE_CHARS = 32_000;

export const messageText = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_USER_MESSAGE_CHARS, `must be at most ${MAX_USER_MESSAGE_CHARS} characters`);

/**
 * Message text a client types through the API (REST, widget, trigger): NFC, no lone surrogates, no controls but line
 * breaks and tabs; bidi marks are kept, as right-to-left writers use them. Channel messages keep `messageText`, since
 * a platform's text is stored as the platform sent it.
 */
export const typedMessageText = humanText({ multiline: true, allowBidi: true })
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_USER_MESSAGE_CHARS, `must be at most ${MAX_USER_MESSAGE_CHARS} characters`);

export const clientMessageId = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1–100 letters, digits or . _ : -');

/** What the Worker hands the conversation object for one new message. */
export const postMessageInput = z.object({
  meta: z.object({
    conversationId: z.string(),
    teamId: z.string(),
    chatbotId: z.string(),
    chatbotVersionId: z.string(),
    participantId: z.string().optional(),
    channel: z.object({ channelId: z.string(), pluginId: z.string(), conversationKey: z.string() }).optional(),
    surface: z.enum(['widget', 'dashboard']).optional(),
  }),
  text: messageText,
  clientMessageId: clientMessageId.optional(),
  context: messageContext.optional(),
  attachments: attachmentIds.optional(),
  /**
   * Extra metadata for the user message, set by the Worker only (messaging channels: `voice`, `editOf`, the button
   * payload). Merged under the message's own keys (context, attachments), which win.
   */
  metadata: z.record(z.string(), z.json()).optional(),
  stream: z.boolean(),
  /** Answer 202 with the message and turn ids at once; the reply arrives on the event stream (widget SSE). */
  detach: z.boolean().optional(),
  /**
   * Answer with this text verbatim instead of calling the model (channels: a sticker or a voice note nobody can
   * transcribe gets the channel's unsupportedReply). Only the Worker sets it; no public route accepts it.
   */
  cannedReply: z.string().trim().min(1).max(MAX_USER_MESSAGE_CHARS).optional(),
});

export type PostMessageInput = z.infer<typeof postMessageInput>;

/** The part of a send that every transport (HTTP, WebSocket) shares. */
export type MessageInput = Pick<PostMessageInput, 'text' | 'clientMessageId' | 'context' | 'attachments' | 'metadata'> &
  Partial<Pick<PostMessageInput, 'cannedReply'>>;
