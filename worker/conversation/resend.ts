import { ApiError } from '../http/errors.ts';
import type { ConversationMessage } from './protocol.ts';
import type { ConversationStore } from './store.ts';

/**
 * What a re-sent `clientMessageId` does. The same text replays the original turn, unless that turn's reply ended in
 * an error (`interrupted` by a restart, a provider failure): the error text tells the user to send the message
 * again, so that resend runs the turn once more, with no second user message. Other text under a used id is a 409:
 * an id names one message, and answering it with another message's reply would be wrong.
 */
export function resendOutcome(
  store: ConversationStore,
  existing: ConversationMessage,
  text: string,
): 'replay' | 'retry' {
  if (existing.content !== text) {
    throw new ApiError(
      409,
      'client_message_id_conflict',
      'clientMessageId was already used for a message with different text; use a new clientMessageId',
    );
  }
  if (store.turnStatus(existing.turnId) !== 'done') return 'replay';
  return store.latestReply(existing.turnId)?.status === 'error' ? 'retry' : 'replay';
}
