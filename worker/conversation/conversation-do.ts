import { DurableObject } from 'cloudflare:workers';
import { type ChatbotDefinition, llmStep } from '../chatbots/definition.ts';
import type { Env } from '../env.ts';
import { ApiError, errorBody } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { type Clock, systemClock } from '../ports/clock.ts';
import { hitParticipant } from '../widget/rate-limits.ts';
import { flushOutbox } from './analytics-outbox.ts';
import { assignTurn } from './burst-policy.ts';
import { EventFanout } from './fanout.ts';
import { type FeedbackRating, type FeedbackResult, storeFeedback } from './feedback.ts';
import { generateReply } from './generate-reply.ts';
import { type MessageInput, type PostMessageInput, postMessageInput } from './inputs.ts';
import { userMessageMetadata } from './message-extras.ts';
import { type ConversationMeta, loadDefinition } from './meta.ts';
import type { ConversationEventBody, ConversationMessage } from './protocol.ts';
import { ProviderCache } from './provider-cache.ts';
import { migrateStorage } from './storage-schema.ts';
import { ConversationStore } from './store.ts';
import { failedReply, type ReplyOutcome } from './stream-reply.ts';
import { handleClientFrame, replay, type SocketAttachment } from './websocket-session.ts';

export type { ConversationMeta } from './meta.ts';

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
  private readonly providerCache = new ProviderCache();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ConversationStore(ctx.storage.sql);
    // Answered by the runtime without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
    ctx.blockConcurrencyWhile(async () => {
      migrateStorage(ctx.storage.sql);
      // Memory is fresh: any turn still marked running was cut off by a crash or a deploy.
      this.closeInterruptedTurns();
      if (this.store.pendingTurn() || this.store.nextOutboxDue() !== undefined)
        await this.scheduleAlarm(this.clock.now());
    });
  }

  override async fetch(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      const after = Number(request.headers.get('last-event-id') ?? url.searchParams.get('after') ?? 0) || 0;
      if (request.method === 'POST' && url.pathname === '/messages') {
        return await this.postMessage(postMessageInput.parse(await request.json()));
      }
      if (request.method === 'GET' && url.pathname === '/events') return this.fanout.sse(this.store.eventsAfter(after));
      if (request.method === 'GET' && url.pathname === '/ws') return await this.connectWebSocket(request, after);
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

  /** Every message and the last seq, read together: a client replays events after `lastSeq` and misses nothing. */
  async history(): Promise<{ data: ConversationMessage[]; lastSeq: number }> {
    return { data: this.store.messages(), lastSeq: this.store.lastSeq() };
  }

  /** A rating on a reply: stored, announced as `message.updated`, and copied to D1 again through the outbox. */
  async feedback(messageId: string, rating: FeedbackRating): Promise<FeedbackResult> {
    const now = this.clock.now();
    const result = storeFeedback(this.store, messageId, rating, now);
    if (!result.ok) return result;
    this.store.enqueueOutbox(messageId, now);
    this.emit({ type: 'message.updated', message: result.message });
    void this.flush();
    return result;
  }

  /** Ends the conversation: new messages are refused on every transport, re-sent ones still get their turn. */
  async end(meta: ConversationMeta): Promise<void> {
    await this.ensureMeta(meta);
    this.store.setMeta('ended', true);
  }

  /** Stops the reply being generated; its partial text is kept and marked `stopped`. */
  async cancel(): Promise<{ cancelled: boolean; turnId: string | null }> {
    if (!this.active) return { cancelled: false, turnId: null };
    this.active.cancel.abort(new Error('cancelled by the client'));
    return { cancelled: true, turnId: this.active.turnId };
  }

  /**
   * The bot writes first (trigger API): `text` is posted verbatim; an `instruction` starts a turn in which the model
   * writes to the participant following it. The instruction is kept on the turn, never shown as a message.
   */
  async trigger(
    meta: ConversationMeta,
    input: { text: string } | { instruction: string },
  ): Promise<{ turnId: string; message: ConversationMessage | null }> {
    await this.ensureMeta(meta);
    const now = this.clock.now();
    const turnId = newId('turn', now);
    if ('instruction' in input) {
      this.store.createTurn(turnId, now, { instruction: input.instruction });
      void this.pump();
      return { turnId, message: null };
    }
    this.store.createTurn(turnId, now, { status: 'done' });
    const message = this.store.insertMessage({
      id: newId('msg', now),
      role: 'assistant',
      content: input.text,
      status: 'complete',
      turnId,
      clientMessageId: null,
      createdSeq: this.store.lastSeq() + 1,
      metadata: { triggered: true },
      createdAt: now,
    });
    this.store.enqueueOutbox(message.id, now);
    this.emit({ type: 'message.created', message });
    this.emit({ type: 'message.completed', message });
    void this.flush();
    return { turnId, message };
  }

  override async alarm(): Promise<void> {
    if (!this.active) this.closeInterruptedTurns();
    if (this.store.pendingTurn()) void this.pump();
    await this.flush();
  }

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    await handleClientFrame(ws, frame, {
      eventsAfter: (seq) => this.store.eventsAfter(seq),
      cancel: () => this.cancel(),
      accept: (meta, input) => this.accept(meta, input),
      limit: (participantId) => hitParticipant(this.env, participantId),
    });
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    // 1005 (no status) and 1006 (abnormal) are reserved and cannot be sent back in a close frame (RFC 6455 §7.4.1).
    ws.close(code === 1005 || code === 1006 ? 1000 : code, 'closing');
  }

  private async connectWebSocket(request: Request, after: number): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      throw new ApiError(426, 'upgrade_required', 'Expected a WebSocket upgrade');
    }
    const meta = JSON.parse(request.headers.get('x-parley-meta') ?? 'null') as ConversationMeta;
    await this.ensureMeta(meta);
    const { 0: client, 1: server } = new WebSocketPair();
    // Hibernatable: the object may sleep between turns while sockets stay open.
    this.ctx.acceptWebSocket(server);
    const participantId = request.headers.get('x-parley-participant') ?? undefined;
    server.serializeAttachment({ meta, participantId } satisfies SocketAttachment);
    replay(server, this.store.eventsAfter(after));
    return new Response(null, { status: 101, webSocket: client });
  }

  private async postMessage(input: PostMessageInput): Promise<Response> {
    const accepted = await this.accept(input.meta, input);
    if (input.detach) {
      const ids = { messageId: accepted.message.id, turnId: accepted.message.turnId };
      return Response.json(ids, { status: 202 });
    }
    if (input.stream) return this.fanout.sse(this.store.eventsAfter(accepted.afterSeq), accepted.message.turnId);
    await this.turnDone(accepted.message.turnId);
    const reply = this.store.messages().find((m) => m.turnId === accepted.message.turnId && m.role === 'assistant');
    return Response.json(
      { message: accepted.message, reply: reply ?? null },
      { status: accepted.duplicate ? 200 : 201 },
    );
  }

  /** Stores a user message and queues its turn; a known clientMessageId returns the original instead. */
  private async accept(meta: ConversationMeta, input: MessageInput) {
    await this.ensureMeta(meta);
    // Resolved before the duplicate check: no await may fall between that check and the insert.
    const metadata = await userMessageMetadata(this.env.FILES, meta, input);
    const existing = input.clientMessageId ? this.store.messageByClientId(input.clientMessageId) : undefined;
    if (existing)
      return { message: existing as ConversationMessage, afterSeq: existing.createdSeq - 1, duplicate: true };
    if (this.store.getMeta<boolean>('ended'))
      throw new ApiError(409, 'conversation_ended', 'This conversation has ended');
    const definition = this.store.getMeta<ChatbotDefinition>('definition') as ChatbotDefinition;
    const now = this.clock.now();
    const turnId = assignTurn(this.store, definition.settings.burstPolicy, now);
    const afterSeq = this.store.lastSeq();
    const message = this.store.insertMessage({
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
    this.store.enqueueOutbox(message.id, now);
    this.emit({ type: 'message.created', message });
    void this.pump();
    return { message, afterSeq, duplicate: false };
  }

  private async ensureMeta(meta: ConversationMeta): Promise<void> {
    const known = this.store.getMeta<ConversationMeta>('conversation');
    if (known) {
      if (known.conversationId !== meta.conversationId) throw new Error('conversation object addressed by another id');
      return;
    }
    // Published versions are immutable, so the object keeps its own copy and never asks D1 again.
    this.store.setMeta('definition', await loadDefinition(this.env, meta));
    this.store.setMeta('conversation', meta);
  }

  private emit(body: ConversationEventBody): void {
    const event = this.store.appendEvent(body, this.clock.now());
    this.fanout.publish(event);
    const frame = JSON.stringify(event);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(frame);
      } catch {
        // A socket closing right now: it resumes from its last seq when it reconnects.
      }
    }
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
      outcome = await generateReply({
        env: this.env,
        store: this.store,
        clock: this.clock,
        emit: (event) => this.emit(event),
        teamId: meta.teamId,
        turnId,
        replyId: reply.id,
        step,
        cancel: cancel.signal,
        providers: this.providerCache,
      });
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
    const error = { code: 'interrupted', message: 'The reply was interrupted by a restart; send the message again' };
    for (const turn of this.store.runningTurns()) {
      if (!turn.reply_message_id) continue;
      const streamed = this.store.streamedText(turn.reply_message_id);
      this.finishTurn(turn.id, turn.reply_message_id, failedReply(error, streamed));
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
      const ref = { conversationId, teamId, chatbotId };
      const nextDue = await flushOutbox(this.store, this.env.EVENTS, ref, this.clock.now());
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
