import { DurableObject } from 'cloudflare:workers';
import type { JsonObject } from '../../plugins/sdk/json.ts';
import { ChannelDeliveries } from '../channels/delivery-runner.ts';
import { DeliveryStore } from '../channels/delivery-store.ts';
import { codeSandbox } from '../code-sandbox/index.ts';
import { acceptMessage } from '../conversation/accept.ts';
import { analyticsRef, flushOutbox } from '../conversation/analytics-outbox.ts';
import { DeltaCoalescer } from '../conversation/delta-coalescer.ts';
import { EventFanout } from '../conversation/fanout.ts';
import { type FeedbackRating, type FeedbackResult, storeFeedback } from '../conversation/feedback.ts';
import { type MessageInput, type PostMessageInput, postMessageInput } from '../conversation/inputs.ts';
import { type ConversationMeta, loadDefinition } from '../conversation/meta.ts';
import { PipelineStore } from '../conversation/pipeline-store.ts';
import type {
  ApprovalDecision,
  ConversationEventBody,
  ConversationMessage,
  ToolApprovalRequest,
} from '../conversation/protocol.ts';
import { ProviderCache } from '../conversation/provider-cache.ts';
import { runTags } from '../conversation/run-tags.ts';
import { readSessionState, type SessionStateResult, writeSessionState } from '../conversation/session-state.ts';
import { migrateStorage, storageStarted } from '../conversation/storage-schema.ts';
import { ConversationStore } from '../conversation/store.ts';
import type { ConversationRpc } from '../conversation/stub.ts';
import { type DecideResult, ToolApprovals } from '../conversation/tool-approvals.ts';
import { type MessageTrace, messageTrace } from '../conversation/trace.ts';
import { TurnRunner } from '../conversation/turns.ts';
import {
  handleClientFrame,
  isNodeEvent,
  NODE_EVENTS_TAG,
  replay,
  type SocketAttachment,
} from '../conversation/websocket-session.ts';
import { shardRouter } from '../db/shards.ts';
import type { Env } from '../env.ts';
import type { BotMessageRequest, BotMessageResult } from '../events/bot-message.ts';
import { ConversationEvents } from '../events/conversation-events.ts';
import { EventStore } from '../events/event-store.ts';
import { eventsOutboxExtra } from '../events/outbox.ts';
import type { EndedBy } from '../events/schemas.ts';
import { ApiError, errorBody } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { KNOWLEDGE_PINS_META_KEY } from '../knowledge/pins/types.ts';
import { type Clock, systemClock } from '../ports/clock.ts';
import { meteredEnv } from '../ports/metered-env.ts';
import { hitParticipant } from '../widget/rate-limits.ts';

export type { ConversationMeta } from '../conversation/meta.ts';

/**
 * One conversation: the source of truth for its messages and events, and the place its turns run one at a time.
 * Every state change is written to SQLite before it is published, so whatever a client saw can be replayed.
 */
export class ConversationDO extends DurableObject<Env> implements Omit<ConversationRpc, 'fetch'> {
  private readonly store: ConversationStore;
  private readonly pipelines: PipelineStore;
  private readonly deliveries: DeliveryStore;
  private readonly fanout = new EventFanout();
  private readonly clock: Clock = systemClock;
  /** A reply's tokens, joined into fewer `delta` events (worker/conversation/delta-coalescer.ts). */
  private readonly deltas = new DeltaCoalescer(
    (body) => this.publish(body),
    () => this.clock.now(),
  );
  private flushing = false;
  /** A flush was asked for while one was sending: it runs again as soon as that send ends. */
  private flushAgain = false;
  /** False until the first write: an object that was only read (an unused widget session) keeps no storage. */
  private started: boolean;
  /** Erased by team deletion (erase): this instance arms no alarm again, whatever was still running in it. */
  private erased = false;
  private readonly turns: TurnRunner;
  private readonly channel: ChannelDeliveries;
  private readonly eventStore: EventStore;
  private readonly events: ConversationEvents;
  private readonly approvals: ToolApprovals;

  constructor(ctx: DurableObjectState, unmetered: Env) {
    // Counted only under npm run bench:scale (PARLEY_METER=1); otherwise the same env.
    super(ctx, meteredEnv(unmetered, 'ConversationDO'));
    const env = this.env;
    this.store = new ConversationStore(ctx.storage.sql);
    this.store.flushBeforeReads(() => this.deltas.flush());
    this.pipelines = new PipelineStore(ctx.storage.sql);
    this.started = storageStarted(ctx.storage.sql);
    this.deliveries = new DeliveryStore(ctx.storage.sql);
    const { store, deliveries, clock } = this;
    this.approvals = new ToolApprovals(ctx.storage.sql, clock, (event) => this.emit(event));
    this.turns = new TurnRunner({
      env,
      store,
      pipelines: this.pipelines,
      clock,
      providers: new ProviderCache(),
      sandbox: codeSandbox(env),
      approvals: this.approvals,
      emit: (event) => this.emit(event),
      replyStarted: (meta, replyId) => (meta.channel ? this.channel.startTurn(meta.channel, replyId) : undefined),
      replyFinished: (message, now) => this.finished(message, now),
      endConversation: () => this.endBy('bot'),
      runTagged: (runId, now) => {
        this.store.enqueueOutbox(runId, now);
        void this.flush();
      },
      turnFinished: (turnId) => {
        this.fanout.endTurn(turnId);
        // The turn's replies fire their bot_message triggers now that its run settled; then timers that fell due
        // during the turn, after its last reply (issue 17: never inside a reply).
        void this.events.turnFinished();
      },
    });
    this.eventStore = new EventStore(ctx.storage.sql);
    this.events = new ConversationEvents({
      env,
      store,
      events: this.eventStore,
      clock,
      turns: this.turns,
      end: (by) => this.endBy(by),
      changed: () => void this.flush(),
    });
    this.channel = new ChannelDeliveries({
      env,
      store,
      deliveries,
      clock,
      updated: (message) => this.updated(message),
      armAlarm: (at) => this.scheduleAlarm(at),
      rearm: () => this.rearm(),
    });
    // Answered by the runtime without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
    ctx.blockConcurrencyWhile(async () => {
      if (!this.started) return;
      migrateStorage(ctx.storage.sql);
      // Memory is fresh: any turn still marked running was cut off by a crash or a deploy, and no turn waits for
      // the approvals still pending.
      this.approvals.closeStale();
      this.turns.closeInterrupted();
      if (this.store.pendingTurn()) await this.scheduleAlarm(this.clock.now());
      await this.rearm();
    });
  }

  override async fetch(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      const after = Number(request.headers.get('last-event-id') ?? url.searchParams.get('after') ?? 0) || 0;
      if (request.method === 'POST' && url.pathname === '/messages') {
        return await this.postMessage(postMessageInput.parse(await request.json()));
      }
      if (request.method === 'GET' && url.pathname === '/events') return this.fanout.sse(this.eventsAfter(after));
      if (request.method === 'GET' && url.pathname === '/ws') return await this.connectWebSocket(request, after);
      return Response.json(errorBody('not_found', 'Unknown conversation operation'), { status: 404 });
    } catch (error) {
      if (error instanceof ApiError) {
        return Response.json(errorBody(error.code, error.message, error.details), { status: error.status });
      }
      throw error;
    }
  }

  /** Every message oldest first, or one page of them: `limit` after the message at `afterPosition`. */
  async listMessages(page?: { afterPosition: number; limit: number }): Promise<ConversationMessage[]> {
    return this.started ? this.store.messages(page?.afterPosition, page?.limit) : [];
  }

  async getMessage(id: string): Promise<ConversationMessage | null> {
    return (this.started && this.store.message(id)) || null;
  }

  /**
   * Every message and the last seq, read together: a client replays events after `lastSeq` and misses nothing.
   * A conversation not started yet has an empty history.
   */
  async history(): Promise<{ data: ConversationMessage[]; lastSeq: number; pendingApprovals: ToolApprovalRequest[] }> {
    if (!this.started) return { data: [], lastSeq: 0, pendingApprovals: [] };
    return { data: this.store.messages(), lastSeq: this.store.lastSeq(), pendingApprovals: this.approvals.pending() };
  }

  /** A person's decision on a tool call waiting for approval: the waiting turn continues (docs/tools.md#approval). */
  async decideToolApproval(approvalId: string, decision: ApprovalDecision): Promise<DecideResult> {
    if (!this.started) return { ok: false, code: 'not_found' };
    return this.approvals.decide(approvalId, decision);
  }

  /** A rating on a reply: stored, announced as `message.updated`, and copied to D1 again through the outbox. */
  async feedback(messageId: string, rating: FeedbackRating): Promise<FeedbackResult> {
    if (!this.started) return { ok: false, code: 'not_found' };
    const now = this.clock.now();
    const result = storeFeedback(this.store, messageId, rating, now);
    if (!result.ok) return result;
    this.updated(result.message);
    return result;
  }

  /** Why a reply is what it is: the run that sent it (null for a message no run sent). */
  async runTrace(messageId: string): Promise<MessageTrace | null> {
    return this.started ? messageTrace(this.store, this.pipelines, messageId) : null;
  }

  /** Ends the conversation: new messages are refused on every transport, re-sent ones still get their turn. */
  async end(meta: ConversationMeta, by: EndedBy = 'api'): Promise<void> {
    await this.ensureMeta(meta);
    this.endBy(by);
  }

  /** "Send a message to the bot" (events, schedules): worker/events/bot-message.ts. */
  async botMessage(meta: ConversationMeta, request: BotMessageRequest): Promise<BotMessageResult> {
    await this.ensureMeta(meta);
    return this.events.botMessage(request);
  }

  async sessionState(): Promise<JsonObject> {
    return this.started ? readSessionState(this.store) : {};
  }

  /** An operator's edit of the session state (API); pipeline runs write theirs at the end of the run instead. */
  async setSessionState(value: JsonObject | null, meta?: ConversationMeta): Promise<SessionStateResult> {
    if (this.turns.running) return { ok: false, code: 'turn_running' };
    if (!this.started) {
      // Resetting what was never written writes nothing; a first write needs the conversation to exist.
      if (value === null) return { ok: true, value: {} };
      if (!meta) return { ok: false, code: 'not_started' };
      await this.ensureMeta(meta);
      // ensureMeta read D1: a turn may have started meanwhile.
      if (this.turns.running) return { ok: false, code: 'turn_running' };
    }
    writeSessionState(this.store, value ?? {});
    return { ok: true, value: value ?? {} };
  }

  /** Stops the reply being generated; its partial text is kept and marked `stopped`. */
  async cancel(): Promise<{ cancelled: boolean; turnId: string | null }> {
    return this.turns.cancel();
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
      void this.turns.pump();
      return { turnId, message: null };
    }
    this.store.createTurn(turnId, now, { status: 'done' });
    const message = this.turns.postVerbatim(turnId, input.text, { triggered: true });
    return { turnId, message };
  }

  /**
   * Team deletion (worker/team-deletion/objects.ts): stops any reply, cancels the alarm and erases all storage, so
   * nothing of the conversation is left and nothing wakes it. Idempotent; an object never started has nothing to erase.
   * No tombstone can survive deleteAll: what refuses later work is the rest of the deletion (keys revoked, the D1
   * row gone, so every route answers 401/404 before reaching the object).
   */
  async erase(): Promise<void> {
    this.erased = true;
    if (this.started) await this.turns.cancel();
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.started = false;
    for (const ws of this.ctx.getWebSockets()) ws.close(1000, 'conversation deleted');
  }

  override async alarm(): Promise<void> {
    if (!this.started || this.erased) return; // only a started object sets alarms
    if (!this.turns.running) {
      this.approvals.closeStale();
      this.turns.closeInterrupted();
    }
    if (this.store.pendingTurn()) void this.turns.pump();
    const address = this.store.getMeta<ConversationMeta>('conversation')?.channel;
    await Promise.all([this.flush(), address && this.channel.run(address), this.events.fireDueTimers()]);
    await this.rearm();
  }

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    await handleClientFrame(ws, frame, {
      eventsAfter: (seq) => this.eventsAfter(seq),
      cancel: () => this.cancel(),
      decide: (approvalId, decision) => this.decideToolApproval(approvalId, decision),
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
    // Connecting writes nothing: the socket's first message.send starts the conversation (accept → ensureMeta).
    if (this.started) await this.ensureMeta(meta);
    const { 0: client, 1: server } = new WebSocketPair();
    // Hibernatable: the object may sleep between turns while sockets stay open. The tag routes node progress.
    // Node progress is opt-in (`?nodeEvents=true`): each node frame before the first token delays it (bench/README.md).
    const skipNodeEvents = new URL(request.url).searchParams.get('nodeEvents') !== 'true';
    this.ctx.acceptWebSocket(server, skipNodeEvents ? [] : [NODE_EVENTS_TAG]);
    const participantId = request.headers.get('x-parley-participant') ?? undefined;
    server.serializeAttachment({
      meta,
      participantId,
      ...(skipNodeEvents && { skipNodeEvents }),
    } satisfies SocketAttachment);
    replay(server, this.eventsAfter(after));
    return new Response(null, { status: 101, webSocket: client });
  }

  private async postMessage(input: PostMessageInput): Promise<Response> {
    const accepted = await this.accept(input.meta, input);
    if (input.detach) {
      const ids = { messageId: accepted.message.id, turnId: accepted.message.turnId };
      return Response.json(ids, { status: 202 });
    }
    if (input.stream) {
      const { afterSeq, echoSeq } = accepted;
      const backlog = echoSeq
        ? this.store.eventsAfter(echoSeq - 1).filter((event) => event.seq === echoSeq || event.seq > afterSeq)
        : this.store.eventsAfter(afterSeq);
      const turnId = accepted.message.turnId;
      return this.fanout.sse(backlog, turnId, this.store.turnStatus(turnId) === 'done');
    }
    await this.turns.done(accepted.message.turnId);
    const reply = this.store.latestReply(accepted.message.turnId);
    // Pipeline (schemaVersion 2) chatbots may answer with several messages: `replies` has them all, in order, and
    // `reply` stays the last. Version 1 responses keep exactly their shape.
    const pipeline = this.store.getMeta<{ schemaVersion: number }>('definition')?.schemaVersion === 2;
    const run = pipeline && reply ? this.pipelines.runOfMessage(reply.turnId, reply.id) : undefined;
    const replies = run ? run.replyIds.flatMap((id) => this.store.message(id) ?? []) : reply ? [reply] : [];
    return Response.json(
      { message: accepted.message, reply: reply ?? null, ...(pipeline && { replies }) },
      { status: accepted.duplicate ? 200 : 201 },
    );
  }

  /** Stores a user message and queues its turn; a known clientMessageId returns the original instead. */
  private async accept(meta: ConversationMeta, input: MessageInput) {
    await this.ensureMeta(meta);
    const { store, turns, clock } = this;
    const accepted = await acceptMessage(
      { store, turns, clock, files: this.env.FILES, emit: (event) => this.emit(event) },
      meta,
      input,
    );
    // A new message (not a duplicate nor a retry of one): its triggers, and the inactivity timers move.
    if (!accepted.duplicate && accepted.echoSeq === undefined) void this.events.userMessage(accepted.message);
    return accepted;
  }

  /** Ends the conversation once, whoever asks; the first ending fires the conversation_ended triggers. */
  private endBy(by: EndedBy): void {
    this.store.setMeta('ended', true);
    void this.events.ended(by);
  }

  private eventsAfter(seq: number) {
    return this.started ? this.store.eventsAfter(seq) : [];
  }

  /** The first write of this object: its schema, then what it knows about itself. */
  private async ensureMeta(meta: ConversationMeta): Promise<void> {
    if (!this.started) {
      migrateStorage(this.ctx.storage.sql);
      this.started = true;
    }
    const known = this.store.getMeta<ConversationMeta>('conversation');
    if (known) {
      if (known.conversationId !== meta.conversationId) throw new Error('conversation object addressed by another id');
      // Objects started before the API sent the participant with the meta learn it on their next call.
      if (!known.participantId && meta.participantId)
        this.store.setMeta('conversation', { ...known, participantId: meta.participantId });
      return;
    }
    // Published versions are immutable, so the object keeps its own copy and never asks D1 again.
    const version = await loadDefinition(this.env, meta);
    this.store.setMeta('definition', version.definition);
    // Drafts store none: the retrieval host then searches each collection's latest revision.
    if (version.knowledge) this.store.setMeta(KNOWLEDGE_PINS_META_KEY, version.knowledge);
    this.store.setMeta('conversation', { ...meta, createdAt: meta.createdAt ?? this.clock.now() });
  }

  private emit(body: ConversationEventBody): void {
    if (body.type === 'delta') {
      this.deltas.push(body);
      return;
    }
    // Held text first: the log keeps the order things happened in.
    this.deltas.beforeOtherEvent();
    this.publish(body);
  }

  /** Stores one event, then sends it to every listener. */
  private publish(body: ConversationEventBody): void {
    const { event, json: frame } = this.store.appendEvent(body, this.clock.now());
    this.fanout.publish(event);
    // Node progress only to the sockets that want it: each frame before the first token delays that token (bench/README.md).
    const sockets = isNodeEvent(body) ? this.ctx.getWebSockets(NODE_EVENTS_TAG) : this.ctx.getWebSockets();
    for (const ws of sockets) {
      try {
        ws.send(frame);
      } catch {
        // A socket closing right now: it resumes from its last seq when it reconnects.
      }
    }
  }

  /**
   * Every reply, triggered message and canned reply ends here, in the synchronous block that stored it: its copy to
   * D1 is queued and, on a channel, its delivery row is written before anything can crash.
   */
  private finished(stored: ConversationMessage, now: number): void {
    const message = this.events.replyMetadata(stored);
    this.store.enqueueOutbox(message.id, now);
    const address = this.store.getMeta<ConversationMeta>('conversation')?.channel;
    if (address) this.channel.enqueue(address, message, now);
    void this.flush();
    void this.events.botMessageStored(message);
  }

  /** A stored message changed after it completed: announced, and copied to D1 again. */
  private updated(message: ConversationMessage): void {
    this.store.enqueueOutbox(message.id, this.clock.now());
    this.emit({ type: 'message.updated', message });
    void this.flush();
  }

  private async flush(): Promise<void> {
    const meta = this.store.getMeta<ConversationMeta>('conversation');
    if (!meta) return;
    if (this.flushing) {
      // Rows written during a send leave right after it, not on an alarm a whole task (and commit) later.
      this.flushAgain = true;
      return;
    }
    this.flushing = true;
    try {
      do {
        this.flushAgain = false;
        const now = this.clock.now();
        await flushOutbox(
          this.store,
          shardRouter(this.env).queueFor(meta.conversationId),
          analyticsRef(meta, now),
          now,
          (runId) => runTags(this.pipelines.run(runId)),
          eventsOutboxExtra(this.eventStore, meta, now),
        );
      } while (this.flushAgain);
      await this.rearm();
    } finally {
      this.flushing = false;
    }
  }

  /** One alarm per object serves the outbox, the deliveries and the events: set for whichever is due first. */
  private async rearm(): Promise<void> {
    const due = [this.store.nextOutboxDue(), this.deliveries.nextDue(), this.events.nextDue()].filter(
      (at) => at !== undefined,
    );
    if (due.length > 0) await this.scheduleAlarm(Math.min(...due));
  }

  private async scheduleAlarm(at: number): Promise<void> {
    if (this.erased) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }
}
