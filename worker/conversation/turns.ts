import { type ChatbotDefinition, llmStep } from '../chatbots/definition.ts';
import type { Env } from '../env.ts';
import { newId } from '../ids.ts';
import type { Clock } from '../ports/clock.ts';
import { generateReply } from './generate-reply.ts';
import type { ConversationMeta } from './meta.ts';
import type { ConversationEventBody, ConversationMessage } from './protocol.ts';
import type { ProviderCache } from './provider-cache.ts';
import type { ConversationStore } from './store.ts';
import { failedReply, type ReplyOutcome } from './stream-reply.ts';

export interface TurnHost {
  env: Env;
  store: ConversationStore;
  clock: Clock;
  providers: ProviderCache;
  emit(body: ConversationEventBody): void;
  /**
   * A reply is about to be generated. A channel conversation returns what each delta must also feed (typing and
   * streaming on the platform); others return undefined, so their delta path stays exactly `emit`.
   */
  replyStarted(meta: ConversationMeta, replyId: string): ((text: string) => void) | undefined;
  /** Called in the same synchronous block that stores the finished reply (delivery rows, outbox). */
  replyFinished(message: ConversationMessage, now: number): void;
}

/**
 * The turn lifecycle of one conversation: turns run one at a time, in order; each stores a streaming reply, runs the
 * LLM step and finishes the reply however it ended. Turns cut off by a crash are closed on the next wake.
 */
export class TurnRunner {
  private pumping = false;
  private active: { turnId: string; cancel: AbortController } | undefined;
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(private readonly host: TurnHost) {}

  get running(): boolean {
    return this.active !== undefined;
  }

  /** Stops the reply being generated; its partial text is kept and marked `stopped`. */
  cancel(): { cancelled: boolean; turnId: string | null } {
    if (!this.active) return { cancelled: false, turnId: null };
    this.active.cancel.abort(new Error('cancelled by the client'));
    return { cancelled: true, turnId: this.active.turnId };
  }

  /** Runs pending turns until none is left; a second call while one runs returns at once. */
  async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      const { store } = this.host;
      for (let turn = store.pendingTurn(); turn; turn = store.pendingTurn()) await this.runTurn(turn.id);
    } finally {
      this.pumping = false;
    }
  }

  /** Resolves when the turn is done (at once if it already is). */
  done(turnId: string): Promise<void> {
    if (this.host.store.turnStatus(turnId) === 'done') return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(turnId, [...(this.waiters.get(turnId) ?? []), resolve]));
  }

  /** Memory is fresh: any turn still marked running was cut off by a crash or a deploy. */
  closeInterrupted(): void {
    const error = { code: 'interrupted', message: 'The reply was interrupted by a restart; send the message again' };
    for (const turn of this.host.store.runningTurns()) {
      if (!turn.reply_message_id) continue;
      const streamed = this.host.store.streamedText(turn.reply_message_id);
      this.finish(turn.id, turn.reply_message_id, failedReply(error, streamed));
    }
  }

  /**
   * Completes a turn at once with a verbatim reply (trigger text, canned replies): no model call. `turnId` is a turn
   * already stored as done or about to be.
   */
  postVerbatim(turnId: string, text: string, metadata: ConversationMessage['metadata']): ConversationMessage {
    const { store, clock } = this.host;
    const now = clock.now();
    const message = store.insertMessage({
      id: newId('msg', now),
      role: 'assistant',
      content: text,
      status: 'complete',
      turnId,
      clientMessageId: null,
      createdSeq: store.lastSeq() + 1,
      metadata,
      createdAt: now,
    });
    this.host.emit({ type: 'message.created', message });
    this.host.emit({ type: 'message.completed', message });
    this.host.replyFinished(message, now);
    return message;
  }

  private async runTurn(turnId: string): Promise<void> {
    const { store, clock } = this.host;
    const meta = store.getMeta<ConversationMeta>('conversation') as ConversationMeta;
    const step = llmStep(store.getMeta<ChatbotDefinition>('definition') as ChatbotDefinition);
    const now = clock.now();
    const reply = store.insertMessage({
      id: newId('msg', now),
      role: 'assistant',
      content: '',
      status: 'streaming',
      turnId,
      clientMessageId: null,
      createdSeq: store.lastSeq() + 1,
      providerId: step.providerId,
      model: step.model,
      createdAt: now,
    });
    store.startTurn(turnId, reply.id, now);
    this.host.emit({ type: 'message.created', message: reply });
    const onDelta = this.host.replyStarted(meta, reply.id);
    const emit = onDelta
      ? (event: ConversationEventBody) => {
          this.host.emit(event);
          if (event.type === 'delta') onDelta(event.text);
        }
      : this.host.emit;
    const cancel = new AbortController();
    this.active = { turnId, cancel };
    let outcome: ReplyOutcome;
    try {
      outcome = await generateReply({
        env: this.host.env,
        store,
        clock,
        emit,
        teamId: meta.teamId,
        turnId,
        replyId: reply.id,
        step,
        cancel: cancel.signal,
        providers: this.host.providers,
      });
    } finally {
      this.active = undefined;
    }
    this.finish(turnId, reply.id, outcome);
  }

  private finish(turnId: string, replyId: string, outcome: ReplyOutcome): void {
    const { store } = this.host;
    const now = this.host.clock.now();
    if (outcome.error) this.host.emit({ type: 'error', messageId: replyId, error: outcome.error });
    const message = store.finishMessage(replyId, { ...outcome, completedAt: now });
    store.finishTurn(turnId, now);
    this.host.emit({ type: 'message.completed', message });
    this.host.replyFinished(message, now);
    for (const resolve of this.waiters.get(turnId) ?? []) resolve();
    this.waiters.delete(turnId);
  }
}
