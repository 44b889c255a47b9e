import type { JsonObject } from '../../plugins/sdk/json.ts';
import type { ConversationMeta } from '../conversation/meta.ts';
import { newId } from '../ids.ts';
import type { ActionCall, WebhookCall } from '../queue/messages.ts';
import type { ActionType, EventAction } from './action-schemas.ts';
import type { BotMessageRequest } from './bot-message.ts';
import type { EventOutboxItem } from './event-store.ts';
import type { EventTrigger } from './schemas.ts';

/** What one action of one firing may do to the conversation; everything synchronous (one storage write block). */
export interface ActionContext {
  meta: ConversationMeta;
  trigger: EventTrigger;
  /** The firing's idempotency key (`timer:<trigger>:<dueAt>`, `user_message:<trigger>:<messageId>`, …). */
  firingKey: string;
  now: number;
  isEnded(): boolean;
  /** Queues an instruction turn (ConversationEvents.queueBotMessage). */
  queueBotMessage(request: BotMessageRequest): 'ran' | 'duplicate' | 'ended';
  /** Posts `text` verbatim as the bot, once per key. */
  postMessage(text: string, idempotencyKey: string, source: BotMessageRequest['source']): void;
  endConversation(): void;
  addTag(name: string): void;
  enqueue(id: string, item: EventOutboxItem): void;
  /** The position of the conversation's latest message, bounding the transcript start_pipeline hands over. */
  lastPosition(): number;
}

/** How an action went. `logged`: the action writes its own log rows (a webhook, from the consumer, per attempt). */
export type ActionOutcome =
  | { outcome: 'ok' | 'skipped' | 'error'; error?: string; detail?: string }
  | { outcome: 'logged' };

type Runner<T extends ActionType> = (
  action: Extract<EventAction, { type: T }>,
  ctx: ActionContext,
  key: string,
) => ActionOutcome;

const ENDED = { outcome: 'skipped', error: 'the conversation has ended' } as const;
const NO_PARTICIPANT = { outcome: 'skipped', error: 'the conversation has no participant' } as const;

const DELAY_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 7 * 86_400_000 } as const;

/**
 * Queues an action the consumer carries out (it reaches another object: a firing never calls across objects). Its
 * key names this conversation and firing, so the participant's or the target's object does it once however often
 * the message is delivered or the firing repeated.
 */
function enqueueCall(
  ctx: ActionContext,
  key: string,
  participantId: string,
  call: (base: Omit<ActionCall, 'action'>) => ActionCall,
): ActionOutcome {
  const logId = newId('evl', ctx.now);
  const base = {
    logId,
    triggerId: ctx.trigger.id,
    triggerType: ctx.trigger.on,
    participantId,
    idempotencyKey: `${ctx.meta.conversationId}:${key}`,
    attempt: 1,
    firedAt: ctx.now,
  };
  ctx.enqueue(logId, { kind: 'action', call: call(base) });
  return { outcome: 'logged' };
}

/** The payload a webhook receives: what fired, on which conversation, when (docs/events.md "Webhooks"). */
export function webhookPayload(ctx: ActionContext, eventId: string): JsonObject {
  const { meta, trigger } = ctx;
  return {
    id: eventId,
    trigger: { id: trigger.id, type: trigger.on },
    conversation: {
      id: meta.conversationId,
      chatbotId: meta.chatbotId,
      participantId: meta.participantId ?? null,
      channel: meta.channel?.pluginId ?? meta.surface ?? 'api',
    },
    firedAt: ctx.now,
  };
}

const runners: { [T in ActionType]: Runner<T> } = {
  bot_message: (action, ctx, key) => {
    const status = ctx.queueBotMessage({
      prompt: action.prompt,
      idempotencyKey: key,
      source: { type: 'trigger', id: ctx.trigger.id },
    });
    return status === 'ended' ? ENDED : { outcome: 'ok' };
  },
  send_message: (action, ctx, key) => {
    if (ctx.isEnded()) return ENDED;
    ctx.postMessage(action.text, key, { type: 'trigger', id: ctx.trigger.id });
    return { outcome: 'ok' };
  },
  end_conversation: (_action, ctx) => {
    if (ctx.isEnded()) return { outcome: 'skipped', error: 'the conversation had already ended' };
    ctx.endConversation();
    return { outcome: 'ok' };
  },
  tag: (action, ctx) => {
    ctx.addTag(action.name);
    return { outcome: 'ok', detail: action.name };
  },
  log: (action) => ({ outcome: 'ok', ...(action.message && { detail: action.message }) }),
  webhook: (action, ctx) => {
    const logId = newId('evl', ctx.now);
    const call: WebhookCall = {
      logId,
      triggerId: ctx.trigger.id,
      triggerType: ctx.trigger.on,
      url: action.url,
      ...(action.secretCredentialId && { secretCredentialId: action.secretCredentialId }),
      payload: webhookPayload(ctx, logId),
      attempt: 1,
      firedAt: ctx.now,
    };
    ctx.enqueue(logId, { kind: 'webhook', call });
    return { outcome: 'logged' };
  },
  // Another chatbot of the team (validated at publish) writes to the same participant, on its own conversation.
  start_pipeline: (action, ctx, key) => {
    const participantId = ctx.meta.participantId;
    if (!participantId) return NO_PARTICIPANT;
    const history = action.history === 'conversation' ? { throughPosition: ctx.lastPosition() } : null;
    return enqueueCall(ctx, key, participantId, (base) => ({
      ...base,
      action: 'start_pipeline',
      chatbotId: action.chatbotId,
      history,
    }));
  },
  // Not skipped on an ended conversation: "follow up in three days" is what a conversation_ended trigger is for.
  schedule_message: (action, ctx, key) => {
    const participantId = ctx.meta.participantId;
    if (!participantId) return NO_PARTICIPANT;
    const startAt = ctx.now + action.delay.amount * DELAY_MS[action.delay.unit];
    const until = action.repeat?.until ? Date.parse(action.repeat.until) : null;
    if (until !== null && until < startAt)
      return { outcome: 'skipped', error: 'repeat.until is before the first occurrence' };
    const recurrence = action.repeat
      ? { every: action.repeat.every, unit: action.repeat.unit, times: action.repeat.times ?? null, until }
      : null;
    return enqueueCall(ctx, key, participantId, (base) => ({
      ...base,
      action: 'schedule_message',
      prompt: action.prompt,
      startAt,
      recurrence,
    }));
  },
};

/** Runs one action; a throwing runner is an `error` outcome, so the actions after it still run. */
export function runAction(action: EventAction, ctx: ActionContext, index: number): ActionOutcome {
  const runner = runners[action.type] as Runner<typeof action.type>;
  try {
    return runner(action as never, ctx, `${ctx.firingKey}:${index}`);
  } catch (error) {
    console.error(
      JSON.stringify({ level: 'error', msg: 'event action failed', action: action.type, error: String(error) }),
    );
    return { outcome: 'error', error: 'the action failed inside the conversation' };
  }
}
