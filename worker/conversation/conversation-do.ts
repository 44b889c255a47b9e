import { DurableObject } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { type ChatbotDefinition, llmStep } from '../chatbots/definition.ts';
import { database } from '../db/client.ts';
import { chatbotVersions } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { ApiError, errorBody } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { type Clock, systemClock } from '../ports/clock.ts';
import type { ConversationRef } from '../queue/messages.ts';
import { flushOutbox } from './analytics-outbox.ts';
import { EventFanout } from './fanout.ts';
import { windowHistory } from './history.ts';
import { type PostMessageInput, postMessageInput } from './inputs.ts';
import type { ConversationEventBody, ConversationMessage } from './protocol.ts';
import { resolveProvider, TurnSetupError } from './provider-settings.ts';
import { migrateStorage } from './storage-schema.ts';
import { ConversationStore } from './store.ts';
import { type ReplyOutcome, streamReply } from './stream-reply.ts';

export interface ConversationMeta extends ConversationRef {
  chatbotVersionId: string;
}

// Defaults until chatbots carry their own (conversation core issue): generous enough for slow models.
const FIRST_TOKEN_TIMEOUT_MS = 60_000;
const HISTORY_BUDGET_TOKENS = 12_000;

/**
 * One conversation: the source of truth for its messages and events, and the place its turns run one at a time.
 * Every state change is written to SQLite before it is published, so whatever a client saw can be replayed.
 */
export class ConversationDO extends DurableObject<Env> {
  private readonly store: ConversationStore;
  private readonly fanout = new EventFanout();
  private readonly clock: Clock = systemClock;
  private pumping = false;
  private flushing = false;
  private active: { turnId: string; cancel: AbortController } | undefined;
  private readonly turnWaiters = new Map<string, (() => void)[]>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ConversationStore(ctx.storage.sql);
    ctx.blockConcurrencyWhile(async () => {
      migrateStorage(ctx.storage.sql);
      // Memory is fresh: any turn still marked running was cut off by eviction or a deploy.
      this.closeInterruptedTurns();
      if (this.store.pendingTurn() || this.store.nextOutboxDue() !== undefined)
        await this.scheduleAlarm(this.clock.now());
    });
  }

  override async fetch(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      if (request.method === 'POST' && url.pathname === '/messages') {
        const input = postMessageInput.parse(await request.json());
        return await this.postMessage(input);
      }
      if (request.method === 'GET' && url.pathname === '/events') {
        const after = Number(request.headers.get('last-event-id') ?? url.searchParams.get('after') ?? 0);
        return this.fanout.sse(this.store.eventsAfter(Number.isFinite(after) ? after : 0));
      }
      return Response.json(errorBody('not_found', 'Unknown conversation operation'), { status: 404 });
    } catch (error) {
      if (error instanceof ApiError) {
        return Response.json(errorBody(error.code, error.message, error.details), { status: error.status });
      }
      throw error;
    }
  }

  /** Every message, oldest first. */
  async listMessages(): Promise<ConversationMessage[]> {
    return this.store.messages();
  }

  async getMessage(id: string): Promise<ConversationMessage | null> {
    return this.store.message(id) ?? null;
  }

  override async alarm(): Promise<void> {
    if (!this.active) this.closeInterruptedTurns();
    if (this.store.pendingTurn()) void this.pump();
    await this.flush();
  }

  private async postMessage(input: PostMessageInput): Promise<Response> {
    await this.ensureMeta(input.meta);
    const definition = this.store.getMeta<ChatbotDefinition>('definition') as ChatbotDefinition;
    const now = this.clock.now();
    const existing = input.clientMessageId ? this.store.messageByClientId(input.clientMessageId) : undefined;
    let message: ConversationMessage;
    let afterSeq: number;
    if (existing) {
      // A retried send: answer with the original turn, never start a second one.
      message = existing;
      afterSeq = existing.createdSeq - 1;
    } else {
      const pending = definition.settings.burstPolicy === 'merge' ? this.store.pendingTurn() : undefined;
      const turnId = pending?.id ?? newId('turn', now);
      if (!pending) this.store.createTurn(turnId, now);
      afterSeq = this.store.lastSeq();
      message = this.store.insertMessage({
        id: newId('msg', now),
        role: 'user',
        content: input.text,
        status: 'complete',
        turnId,
        clientMessageId: input.clientMessageId ?? null,
        createdSeq: afterSeq + 1,
        createdAt: now,
      });
      this.store.enqueueOutbox(message.id, now);
      this.emit({ type: 'message.created', message });
      void this.pump();
      void this.flush();
    }
    if (input.stream) return this.fanout.sse(this.store.eventsAfter(afterSeq), message.turnId);
    await this.turnDone(message.turnId);
    const reply = this.store.messages().find((m) => m.turnId === message.turnId && m.role === 'assistant');
    return Response.json({ message, reply: reply ?? null }, { status: existing ? 200 : 201 });
  }

  private async ensureMeta(meta: ConversationMeta): Promise<void> {
    const known = this.store.getMeta<ConversationMeta>('conversation');
    if (known) {
      if (known.conversationId !== meta.conversationId) throw new Error('conversation object addressed by another id');
      return;
    }
    const version = await database(this.env.DB).query.chatbotVersions.findFirst({
      where: and(eq(chatbotVersions.id, meta.chatbotVersionId), eq(chatbotVersions.teamId, meta.teamId)),
    });
    if (!version)
      throw new ApiError(409, 'version_missing', 'The chatbot version of this conversation no longer exists');
    // Published versions are immutable, so the object keeps its own copy and never asks D1 again.
    this.store.setMeta('definition', version.definition);
    this.store.setMeta('conversation', meta);
  }

  private emit(body: ConversationEventBody): void {
    this.fanout.publish(this.store.appendEvent(body, this.clock.now()));
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let turn = this.store.pendingTurn(); turn; turn = this.store.pendingTurn()) await this.runTurn(turn.id);
    } finally {
      this.pumping = false;
    }
  }

  private async runTurn(turnId: string): Promise<void> {
    const meta = this.store.getMeta<ConversationMeta>('conversation') as ConversationMeta;
    const step = llmStep(this.store.getMeta<ChatbotDefinition>('definition') as ChatbotDefinition);
    const now = this.clock.now();
    const reply = this.store.insertMessage({
      id: newId('msg', now),
      role: 'assistant',
      content: '',
      status: 'streaming',
      turnId,
      clientMessageId: null,
      createdSeq: this.store.lastSeq() + 1,
      providerId: step.providerId,
      model: step.model,
      createdAt: now,
    });
    this.store.startTurn(turnId, reply.id, now);
    this.emit({ type: 'message.created', message: reply });
    const cancel = new AbortController();
    this.active = { turnId, cancel };
    let outcome: ReplyOutcome;
    try {
      const { provider, settings } = await resolveProvider(this.env, meta.teamId, step);
      const parameters = provider.parameters(step.model).safeParse(step.parameters);
      if (!parameters.success)
        throw new TurnSetupError('invalid_parameters', `Invalid model parameters: ${parameters.error.message}`);
      outcome = await streamReply({
        provider,
        settings,
        request: {
          model: step.model,
          system: step.systemPrompt || undefined,
          messages: windowHistory(this.store.historyFor(turnId), HISTORY_BUDGET_TOKENS),
          parameters: parameters.data,
        },
        clock: this.clock,
        fetch: (input, init) => fetch(input, init),
        cancel: cancel.signal,
        firstTokenTimeoutMs: FIRST_TOKEN_TIMEOUT_MS,
        onDelta: (text) => this.emit({ type: 'delta', messageId: reply.id, text }),
      });
    } catch (error) {
      const failure =
        error instanceof TurnSetupError
          ? { code: error.code, message: error.message }
          : { code: 'internal', message: 'The reply could not be generated' };
      if (!(error instanceof TurnSetupError))
        console.error(JSON.stringify({ level: 'error', turnId, error: String(error) }));
      outcome = { content: '', status: 'error', error: failure, usage: null, finishReason: 'error', metadata: {} };
    } finally {
      this.active = undefined;
    }
    this.finishTurn(turnId, reply.id, outcome);
  }

  private finishTurn(turnId: string, replyId: string, outcome: ReplyOutcome): void {
    const now = this.clock.now();
    if (outcome.error) this.emit({ type: 'error', messageId: replyId, error: outcome.error });
    const message = this.store.finishMessage(replyId, { ...outcome, completedAt: now });
    this.store.finishTurn(turnId, now);
    this.store.enqueueOutbox(replyId, now);
    this.emit({ type: 'message.completed', message });
    for (const resolve of this.turnWaiters.get(turnId) ?? []) resolve();
    this.turnWaiters.delete(turnId);
    void this.flush();
  }

  private closeInterruptedTurns(): void {
    for (const turn of this.store.runningTurns()) {
      if (!turn.reply_message_id) continue;
      const content = this.store.streamedText(turn.reply_message_id);
      const error = { code: 'interrupted', message: 'The reply was interrupted by a restart; send the message again' };
      this.finishTurn(turn.id, turn.reply_message_id, {
        content,
        status: 'error',
        error,
        usage: null,
        finishReason: 'error',
        metadata: {},
      });
    }
  }

  private turnDone(turnId: string): Promise<void> {
    if (this.store.turnStatus(turnId) === 'done') return Promise.resolve();
    return new Promise((resolve) => this.turnWaiters.set(turnId, [...(this.turnWaiters.get(turnId) ?? []), resolve]));
  }

  private async flush(): Promise<void> {
    const meta = this.store.getMeta<ConversationMeta>('conversation');
    if (this.flushing || !meta) return;
    this.flushing = true;
    try {
      const { conversationId, teamId, chatbotId } = meta;
      const nextDue = await flushOutbox(
        this.store,
        this.env.EVENTS,
        { conversationId, teamId, chatbotId },
        this.clock.now(),
      );
      if (nextDue !== undefined) await this.scheduleAlarm(nextDue);
    } finally {
      this.flushing = false;
    }
  }

  private async scheduleAlarm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }
}
