import type { ConversationMessage } from './protocol.ts';
import type { ConversationStore } from './store.ts';

export type FeedbackRating = 'up' | 'down' | null;

export type FeedbackResult =
  | { ok: true; message: ConversationMessage }
  | { ok: false; code: 'not_found' | 'not_reply' };

/**
 * Stores `metadata.feedback = {rating, at}` on an assistant reply (null clears the rating but keeps when it was
 * cleared). Errors are returned rather than thrown: an error class does not survive the RPC boundary.
 */
export function storeFeedback(
  store: ConversationStore,
  messageId: string,
  rating: FeedbackRating,
  now: number,
): FeedbackResult {
  const message = store.message(messageId);
  if (!message) return { ok: false, code: 'not_found' };
  if (message.role !== 'assistant' || message.status === 'streaming') return { ok: false, code: 'not_reply' };
  store.setMetadata(messageId, { ...message.metadata, feedback: { rating, at: now } });
  return { ok: true, message: store.message(messageId) as ConversationMessage };
}
