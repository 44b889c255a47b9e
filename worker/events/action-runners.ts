import type { JsonObject } from '../../plugins/sdk/json.ts';
import type { ConversationMeta } from '../conversation/meta.ts';
import { newId } from '../ids.ts';
import type { WebhookCall } from '../queue/messages.ts';
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
  // Validated at publish (a chatbot of the team); running another chatbot's pipeline on this conversation is the
  // next step of issue 17 (docs/events.md "Not yet").
  start_pipeline: () => ({ outcome: 'skipped', error: 'start_pipeline is not available yet' }),
  // Replaced by the schedules branch's runner (issue 17 §3).
  schedule_message: () => ({ outcome: 'skipped', error: 'not implemented' }),
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
