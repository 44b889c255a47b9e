import type { ConversationMeta } from '../conversation/meta.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { readSessionState } from '../conversation/session-state.ts';
import type { ConversationStore } from '../conversation/store.ts';
import type { TurnRunner } from '../conversation/turns.ts';
import type { Env } from '../env.ts';
import { newId } from '../ids.ts';
import type { AnyDefinition } from '../pipelines/definition.ts';
import type { Clock } from '../ports/clock.ts';
import { type ActionContext, runAction } from './action-runners.ts';
import type { BotMessageRequest, BotMessageResult } from './bot-message.ts';
import { type ConditionContext, conditionsHold, isFirstConversation } from './conditions.ts';
import type { EventStore, TimerRow } from './event-store.ts';
import type { EndedBy, EventTrigger, StaticTriggerType } from './schemas.ts';
import { nextDueAfterFiring, rearmTimers } from './timers.ts';

export interface EventsHost {
  env: Env;
  store: ConversationStore;
  events: EventStore;
  clock: Clock;
  turns: Pick<TurnRunner, 'pump' | 'done' | 'running' | 'postVerbatim'>;
  /** Marks the conversation ended (an end_conversation action); the object then calls `ended('event')`. */
  end(by: EndedBy): void;
  /** Rows were written that must leave the object (event outbox) or move the alarm (timers): flush and re-arm. */
  changed(): void;
}

/** Meta key: tags this conversation's events added, for `hasTag` before their copy reaches D1. */
const EVENT_TAGS = 'event_tags';
/** Meta key: set once conversation_started (and participant_joined) fired. */
const STARTED = 'events_started';
/** Meta key: replies of the running turn whose bot_message triggers wait for the turn's end (turnFinished). */
const PENDING_REPLIES = 'events_pending_replies';

/**
 * The events of one conversation (issue 17 §1–2): its chatbot version's triggers fired from the object's own code
 * paths, inactivity timers on the object's single alarm, and "send a message to the bot" (bot-message.ts). Actions
 * run in the object right after the write that triggered them; what leaves the object (event-log rows, webhook
 * calls, tags, the D1 status of an ending) waits in the event outbox for the next flush (outbox.ts).
 */
export class ConversationEvents {
  private firing = false;

  constructor(private readonly host: EventsHost) {}

  /** The seam for schedules and the API: queue an instruction turn (after any running one) and await its replies. */
  async botMessage(request: BotMessageRequest): Promise<BotMessageResult> {
    const status = this.queueBotMessage(request);
    if (status === 'ended') return { status, messageIds: [] };
    const turnId = this.host.events.botRequest(request.idempotencyKey)?.turnId as string;
    await this.host.turns.done(turnId);
    const messageIds = this.host.store.turnReplies(turnId).map((message) => message.id);
    return { status, messageIds };
  }

  /** Synchronous part of botMessage: one storage write block, so a key is never half-recorded. */
  queueBotMessage(request: BotMessageRequest): 'ran' | 'duplicate' | 'ended' {
    const { store, events, clock, turns } = this.host;
    if (events.botRequest(request.idempotencyKey)) return 'duplicate';
    if (this.isEnded()) return 'ended';
    const now = clock.now();
    const turnId = newId('turn', now);
    // A pending turn: the queue runs it after the running turn's last reply (TurnRunner.pump), never inside it.
    store.createTurn(turnId, now, { instruction: request.prompt });
    events.insertBotRequest(request.idempotencyKey, turnId, request.source, now);
    void turns.pump();
    return 'ran';
  }

  /** `metadata.event` for a reply of a turn an event or a schedule asked for. */
  replyMetadata(message: ConversationMessage): ConversationMessage {
    // Most objects never see a bot request: then no reply has a source, and no turn pays a read to learn it.
    if (!this.host.events.hasBotRequests()) return message;
    const source = this.host.events.turnSource(message.turnId);
    if (!source || message.metadata.event) return message;
    const metadata = { ...message.metadata, event: { ...source } };
    this.host.store.setMetadata(message.id, metadata);
    return { ...message, metadata };
  }

  /** A user message was stored: first-message triggers, then user_message, and the inactivity timers re-armed. */
  async userMessage(message: ConversationMessage): Promise<void> {
    const { store, events, clock } = this.host;
    // The triggers are the object's chatbot version's, fixed for its life (ConversationDO.ensureMeta): a chatbot
    // without any has nothing to fire, arm or flush here, so its turns pay nothing for events.
    const triggers = this.triggers();
    if (triggers.length === 0) return;
    const first = !store.getMeta<boolean>(STARTED);
    if (first) store.setMeta(STARTED, true);
    if (rearmTimers(events, triggers, message.createdAt, clock.now())) this.host.changed();
    if (first) {
      await this.fireStatic('conversation_started', 'started');
      if (await this.participantIsNew()) await this.fireStatic('participant_joined', 'joined');
    }
    await this.fireStatic('user_message', `user_message:${message.id}`);
  }

  /**
   * A reply completed; replies that events themselves sent fire nothing (a bot_message trigger would loop). A reply of
   * a running turn waits for the turn's end: a pipeline writes its session state (and its tags) when the run settles,
   * after its replies, and a `sessionState` or `hasTag` condition must see what the run that replied wrote. Kept in
   * storage, so an eviction before the turn's end loses none (the next turn's end fires them).
   */
  async botMessageStored(message: ConversationMessage): Promise<void> {
    if (message.role !== 'assistant' || message.status !== 'complete' || message.metadata.event) return;
    if (!this.triggers().some((trigger) => trigger.on === 'bot_message')) return;
    const { store, turns } = this.host;
    if (turns.running) {
      store.setMeta(PENDING_REPLIES, [...(store.getMeta<string[]>(PENDING_REPLIES) ?? []), message.id]);
      return;
    }
    await this.fireStatic('bot_message', `bot_message:${message.id}`);
  }

  /** A turn ended: its replies' bot_message triggers fire, then the timers that fell due during it. */
  async turnFinished(): Promise<void> {
    const { store } = this.host;
    const pending = store.getMeta<string[]>(PENDING_REPLIES) ?? [];
    if (pending.length > 0) {
      // Taken in the same synchronous block that reads them: a second call finds none, so none fires twice.
      store.setMeta(PENDING_REPLIES, []);
      for (const id of pending) await this.fireStatic('bot_message', `bot_message:${id}`);
    }
    await this.fireDueTimers();
  }

  /** The conversation ended: timers stop, conversation_ended triggers fire (filtered by who ended it). */
  async ended(by: EndedBy): Promise<void> {
    const { events, store, clock } = this.host;
    if (store.getMeta<boolean>('events_ended')) return;
    store.setMeta('events_ended', true);
    events.cancelTimers(clock.now());
    events.enqueue(
      `ended:${store.getMeta<ConversationMeta>('conversation')?.conversationId}`,
      { kind: 'ended' },
      clock.now(),
    );
    this.host.changed();
    await this.fireStatic(
      'conversation_ended',
      'ended',
      (trigger) => trigger.on !== 'conversation_ended' || !trigger.by || trigger.by.includes(by),
    );
  }

  /**
   * Fires every due timer, unless a turn is running or waiting: then the turn's end calls this again, so a follow-up
   * never lands inside a reply. Each (timer, due time) fires at most once (EventStore.recordFiring).
   */
  async fireDueTimers(): Promise<void> {
    if (this.firing || !this.hasTimers()) return;
    this.firing = true;
    try {
      for (const timer of this.host.events.dueTimers(this.host.clock.now())) {
        if (this.busy()) return;
        await this.fireTimer(timer);
      }
    } finally {
      this.firing = false;
    }
  }

  /** When the alarm is next needed for events: the earliest timer or event-outbox row. */
  nextDue(): number | undefined {
    // While a turn runs its end fires the due timers: an alarm for a timer already due would only spin.
    const timer = !this.hasTimers() || this.busy() ? undefined : this.host.events.nextTimerDue();
    const due = [timer, this.host.events.nextOutboxDue()].filter((at) => at !== undefined);
    return due.length ? Math.min(...due) : undefined;
  }

  private async fireTimer(timer: TimerRow): Promise<void> {
    const trigger = this.triggers().find((candidate) => candidate.id === timer.trigger_id);
    const { events, clock } = this.host;
    const now = clock.now();
    if (trigger?.on !== 'inactivity' || this.isEnded()) {
      events.recordFiring(timer, null, now);
      return;
    }
    const holds = await conditionsHold(trigger.conditions, this.conditionContext());
    // The await let other work in: fire only if the row still says what was read and the object is still idle.
    const current = events.timer(timer.trigger_id);
    if (current?.state !== 'armed' || current.due_at !== timer.due_at || this.busy()) return;
    const at = clock.now();
    if (!events.recordFiring(current, nextDueAfterFiring(trigger, current), at)) return;
    if (holds) this.runActions(trigger, `timer:${trigger.id}:${current.due_at}`, at);
    this.host.changed();
  }

  private async fireStatic(
    on: StaticTriggerType,
    key: string,
    accept: (trigger: EventTrigger) => boolean = () => true,
  ): Promise<void> {
    const matching = this.triggers().filter((trigger) => trigger.on === on && accept(trigger));
    for (const trigger of matching) {
      if (!(await conditionsHold(trigger.conditions, this.conditionContext()))) continue;
      this.runActions(trigger, `${key}:${trigger.id}`, this.host.clock.now());
    }
    if (matching.length) this.host.changed();
  }

  private runActions(trigger: EventTrigger, firingKey: string, now: number): void {
    const { store, events } = this.host;
    const meta = store.getMeta<ConversationMeta>('conversation') as ConversationMeta;
    const context: ActionContext = {
      meta,
      trigger,
      firingKey,
      now,
      isEnded: () => this.isEnded(),
      queueBotMessage: (request) => this.queueBotMessage(request),
      postMessage: (text, idempotencyKey, source) => this.postMessage(text, idempotencyKey, source),
      endConversation: () => this.host.end('event'),
      addTag: (name) => {
        const tags = store.getMeta<string[]>(EVENT_TAGS) ?? [];
        if (!tags.includes(name)) store.setMeta(EVENT_TAGS, [...tags, name]);
        events.enqueue(`tag:${name}`, { kind: 'tag', name }, now);
      },
      enqueue: (id, item) => events.enqueue(id, item, now),
      lastPosition: () => store.lastPosition(),
    };
    trigger.actions.forEach((action, index) => {
      const result = runAction(action, context, index);
      if (result.outcome === 'logged') return;
      const id = newId('evl', now);
      events.enqueue(
        id,
        {
          kind: 'log',
          entry: {
            id,
            triggerId: trigger.id,
            triggerType: trigger.on,
            actionType: action.type,
            outcome: result.outcome,
            error: result.error ?? null,
            detail: result.detail ?? null,
            attempt: 1,
            firedAt: now,
          },
        },
        now,
      );
    });
  }

  private postMessage(text: string, idempotencyKey: string, source: BotMessageRequest['source']): void {
    const { store, events, clock, turns } = this.host;
    if (events.botRequest(idempotencyKey)) return;
    const now = clock.now();
    const turnId = newId('turn', now);
    store.createTurn(turnId, now, { status: 'done' });
    events.insertBotRequest(idempotencyKey, turnId, source, now);
    turns.postVerbatim(turnId, text, { triggered: true, event: { ...source } });
  }

  /** Whether this is the participant's first conversation with the chatbot (one indexed D1 read, once). */
  private async participantIsNew(): Promise<boolean> {
    if (!this.triggers().some((trigger) => trigger.on === 'participant_joined')) return false;
    const meta = this.host.store.getMeta<ConversationMeta>('conversation');
    return meta?.participantId ? isFirstConversation(this.host.env, meta) : false;
  }

  private conditionContext(): ConditionContext {
    const { store, env } = this.host;
    return {
      env,
      meta: store.getMeta<ConversationMeta>('conversation') as ConversationMeta,
      sessionState: () => readSessionState(store),
      pendingTags: () => store.getMeta<string[]>(EVENT_TAGS) ?? [],
    };
  }

  /** Only inactivity triggers arm timers (timers.ts): without one the timer table stays empty. */
  private hasTimers(): boolean {
    return this.triggers().some((trigger) => trigger.on === 'inactivity');
  }

  private triggers(): readonly EventTrigger[] {
    return this.host.store.getMeta<AnyDefinition>('definition')?.events?.triggers ?? [];
  }

  private isEnded(): boolean {
    return this.host.store.getMeta<boolean>('ended') === true;
  }

  private busy(): boolean {
    return this.host.turns.running || this.host.store.pendingTurn() !== undefined;
  }
}
