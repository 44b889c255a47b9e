import type { ChatbotDefinition } from '../chatbots/definition.ts';
import { ApiError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import type { Clock } from '../ports/clock.ts';
import { assignTurn } from './burst-policy.ts';
import type { MessageInput } from './inputs.ts';
import { userMessageMetadata } from './message-extras.ts';
import type { ConversationMeta } from './meta.ts';
import type { ConversationEventBody, ConversationMessage } from './protocol.ts';
import { resendOutcome } from './resend.ts';
import type { ConversationStore } from './store.ts';
import type { TurnRunner } from './turns.ts';

/** What accepting a message needs of the conversation object. */
export interface AcceptDeps {
  store: ConversationStore;
  turns: Pick<TurnRunner, 'pump' | 'postVerbatim'>;
  clock: Clock;
  files: R2Bucket;
  emit(body: ConversationEventBody): void;
}

export interface Accepted {
  message: ConversationMessage;
  /** The last seq before this message: a stream of its turn replays events after it. */
  afterSeq: number;
  duplicate: boolean;
  /** On a retry, the seq of the original user message, echoed first on the new stream. */
  echoSeq?: number | undefined;
}

/**
 * Stores a user message and queues its turn; a known clientMessageId returns the original instead (or re-runs its
 * turn when the first attempt failed). The object's metadata must already be stored (ConversationDO.ensureMeta).
 */
export async function acceptMessage(deps: AcceptDeps, meta: ConversationMeta, input: MessageInput): Promise<Accepted> {
  // Resolved before the duplicate check: no await may fall between that check and the insert.
  const metadata = await userMessageMetadata(deps.files, meta, input);
  const existing = input.clientMessageId ? deps.store.messageByClientId(input.clientMessageId) : undefined;
  const resend = existing && resendOutcome(deps.store, existing, input.text);
  if (existing && resend === 'replay')
    return { message: existing as ConversationMessage, afterSeq: existing.createdSeq - 1, duplicate: true };
  if (deps.store.getMeta<boolean>('ended'))
    throw new ApiError(409, 'conversation_ended', 'This conversation has ended');
  if (existing) {
    // A retry: the turn runs again and answers like a first send (201); its stream starts with the user message.
    const afterSeq = deps.store.lastSeq();
    deps.store.reopenTurn(existing.turnId);
    void deps.turns.pump();
    return { message: existing as ConversationMessage, afterSeq, duplicate: false, echoSeq: existing.createdSeq };
  }
  const definition = deps.store.getMeta<ChatbotDefinition>('definition') as ChatbotDefinition;
  const now = deps.clock.now();
  // A canned reply answers this message alone, at once: never merged into a turn waiting for the model.
  const turnId = input.cannedReply ? newId('turn', now) : assignTurn(deps.store, definition.settings.burstPolicy, now);
  if (input.cannedReply) deps.store.createTurn(turnId, now, { status: 'done' });
  const afterSeq = deps.store.lastSeq();
  const message = deps.store.insertMessage({
    id: newId('msg', now),
    role: 'user',
    content: input.text,
    status: 'complete',
    turnId,
    clientMessageId: input.clientMessageId ?? null,
    createdSeq: afterSeq + 1,
    ...(metadata && { metadata }),
    createdAt: now,
  });
  // Copied to D1 with its reply when the turn finishes: one queue send per turn, off the path to the first token.
  deps.store.enqueueOutbox(message.id, now);
  deps.emit({ type: 'message.created', message });
  if (input.cannedReply) deps.turns.postVerbatim(turnId, input.cannedReply, { canned: true });
  else void deps.turns.pump();
  return { message, afterSeq, duplicate: false, echoSeq: undefined };
}
