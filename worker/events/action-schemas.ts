import { z } from 'zod';

/**
 * What a trigger does when it fires (issue 17 §2). One schema per action type; the runner of each is in
 * ./action-runners.ts. Adding an action type (the schedules helper's `schedule_message`) is one schema here, one
 * runner there, and a line in docs/events.md.
 */
export const botMessageAction = z.strictObject({
  type: z.literal('bot_message'),
  /** Given to the bot as an instruction; the participant sees only its reply. Same bound as a system prompt. */
  prompt: z.string().trim().min(1).max(32_000),
});

export const sendMessageAction = z.strictObject({
  type: z.literal('send_message'),
  // Telegram's message limit is 4,096 characters; longer texts are split by the channel, so 4,000 is safe anywhere.
  text: z.string().trim().min(1).max(4_000),
});

export const endConversationAction = z.strictObject({ type: z.literal('end_conversation') });

export const tagAction = z.strictObject({
  type: z.literal('tag'),
  // The tags API's bound (worker/tags/schema.ts).
  name: z.string().trim().min(1).max(50),
});

export const logAction = z.strictObject({ type: z.literal('log'), message: z.string().max(500).optional() });

export const webhookAction = z.strictObject({
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/ }).max(2048),
  /**
   * A plugin configuration of the team whose secrets hold `signingSecret`: the HMAC key. None: the team's own
   * events signing secret, derived from ENCRYPTION_KEY (worker/events/webhook-signing.ts).
   */
  secretCredentialId: z.string().min(1).max(100).optional(),
});

export const startPipelineAction = z.strictObject({
  type: z.literal('start_pipeline'),
  chatbotId: z.string().min(1).max(100),
  history: z.enum(['none', 'conversation']),
});

/**
 * Sends `prompt` to the bot later for the conversation's participant: once after `delay`, or on a recurrence
 * (issue 17 §3). Schema only on this branch; the schedules branch owns its runner. Bounds as the schedules API
 * (worker/schedules/schemas.ts): prompts of at most 4,000 characters, steps of at most 1,000 units.
 */
const scheduleUnit = ['minutes', 'hours', 'days', 'weeks'] as const;
export const scheduleMessageAction = z.strictObject({
  type: z.literal('schedule_message'),
  prompt: z.string().trim().min(1).max(4_000),
  delay: z.strictObject({ amount: z.number().int().min(1).max(1000), unit: z.enum(scheduleUnit) }),
  repeat: z
    .strictObject({
      every: z.number().int().min(1).max(1000),
      unit: z.enum([...scheduleUnit, 'months']),
      times: z.number().int().nullable().optional(),
      until: z.iso.datetime({ offset: true }).nullable().optional(),
    })
    .optional(),
});

export const actionSchema = z.discriminatedUnion('type', [
  botMessageAction,
  sendMessageAction,
  endConversationAction,
  tagAction,
  logAction,
  webhookAction,
  startPipelineAction,
  scheduleMessageAction,
]);

export type EventAction = z.infer<typeof actionSchema>;
export type ActionType = EventAction['type'];
