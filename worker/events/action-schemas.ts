import { z } from 'zod';
import { MAX_PROMPT_CHARS } from '../schedules/limits.ts';
import { RECURRENCE_UNITS } from '../schedules/recurrence.ts';

/**
 * What a trigger does when it fires (issue 17 §2). One schema per action type; the runner of each is in
 * ./action-runners.ts. Adding an action type is one schema here, one runner there, and a line in docs/events.md.
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
 * Schedules a message to the conversation's participant with this chatbot (issue 17 §2), first due `delay` after the
 * firing; `repeat` as the schedules API's (worker/schedules/schemas.ts `Repeat`, strict here like every action).
 * The delay's units stop at weeks: a month is not a fixed delay, and 1,000 weeks is beyond any follow-up.
 */
export const scheduleMessageAction = z.strictObject({
  type: z.literal('schedule_message'),
  // The schedules' own bound (worker/schedules/limits.ts).
  prompt: z.string().trim().min(1).max(MAX_PROMPT_CHARS),
  delay: z.strictObject({
    amount: z.number().int().min(1).max(1000),
    unit: z.enum(['minutes', 'hours', 'days', 'weeks']),
  }),
  repeat: z
    .strictObject({
      every: z.number().int().min(1).max(1000),
      unit: z.enum(RECURRENCE_UNITS),
      times: z.number().int().min(1).max(10_000).nullable().optional(),
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
