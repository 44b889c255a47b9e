import { z } from 'zod';
import { actionSchema } from './action-schemas.ts';

/**
 * A chatbot's triggers (issue 17 §1), part of its definition and so versioned with it: both formats (v1
 * worker/chatbots/definition.ts and v2 worker/pipelines/definition.ts) carry this optional `events` section.
 * Semantics follow Open Chat Studio's apps/events (static triggers, timeout triggers, actions); docs/events.md.
 */
const triggerId = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'lowercase id, at most 40 characters');

export const endedBy = ['user', 'bot', 'api', 'event', 'admin'] as const;
export type EndedBy = (typeof endedBy)[number];

export const staticTriggerTypes = [
  'conversation_started',
  'conversation_ended',
  'user_message',
  'bot_message',
  'participant_joined',
] as const;
export type StaticTriggerType = (typeof staticTriggerTypes)[number];
export type TriggerType = StaticTriggerType | 'inactivity';

/** Where a conversation happens, as conditions name it: a channel plugin id, or `widget` / `api`. */
const channelName = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a channel plugin id, widget or api');
const dataKey = z.string().min(1).max(100);
const scalar = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);

/** Every condition given must hold for the trigger to fire (AND); none given: always. */
export const triggerConditions = z.strictObject({
  channels: z.array(channelName).min(1).max(20).optional(),
  /** A tag the conversation carries (tags added by its runs and its events: docs/events.md). */
  hasTag: z.string().trim().min(1).max(50).optional(),
  sessionState: z.strictObject({ key: dataKey, equals: scalar }).optional(),
  participantData: z.strictObject({ key: dataKey, equals: scalar }).optional(),
});

// OCS caps actions per trigger at a handful too; five keeps one firing well inside one DO turn and one queue message.
const actions = z.array(actionSchema).min(1).max(5);

const common = { id: triggerId, conditions: triggerConditions.optional(), actions };

/**
 * Inactivity: fires `delaySeconds` after the participant's last (or first) message, up to `times` times, each
 * `delaySeconds` after the one before. 10 s at least: an alarm retries from 2 s on failure, and a reply streams for
 * several seconds, so a shorter "inactivity" would fire while the participant is still reading the reply. 30 days
 * at most: far beyond any follow-up OCS ships, and a row that old belongs to a schedule (issue 17 §3), not a timer.
 */
export const MIN_DELAY_SECONDS = 10;
export const MAX_DELAY_SECONDS = 30 * 24 * 3600;
export const inactivityTrigger = z.strictObject({
  ...common,
  on: z.literal('inactivity'),
  delaySeconds: z.number().int().min(MIN_DELAY_SECONDS).max(MAX_DELAY_SECONDS),
  times: z.number().int().min(1).max(10),
  from: z.enum(['last_message', 'first_message']),
});

export const endedTrigger = z.strictObject({
  ...common,
  on: z.literal('conversation_ended'),
  /** Who ended it; none given: any. */
  by: z.array(z.enum(endedBy)).min(1).max(endedBy.length).optional(),
});

const simpleTrigger = (on: Exclude<StaticTriggerType, 'conversation_ended'>) =>
  z.strictObject({ ...common, on: z.literal(on) });

export const eventTrigger = z.discriminatedUnion('on', [
  simpleTrigger('conversation_started'),
  endedTrigger,
  simpleTrigger('user_message'),
  simpleTrigger('bot_message'),
  simpleTrigger('participant_joined'),
  inactivityTrigger,
]);

// 20 triggers: OCS chatbots in the wild use a few; the cap bounds the work one message can cause.
export const eventsSection = z.strictObject({ triggers: z.array(eventTrigger).max(20) });

export type EventsSection = z.infer<typeof eventsSection>;
export type EventTrigger = z.infer<typeof eventTrigger>;
export type InactivityTrigger = z.infer<typeof inactivityTrigger>;
export type TriggerConditions = z.infer<typeof triggerConditions>;
