import { z } from '@hono/zod-openapi';
import { humanText } from '../http/text.ts';
import { MAX_PROMPT_CHARS } from './limits.ts';
import { RECURRENCE_UNITS } from './recurrence.ts';
import type { Schedule, ScheduleAttempt } from './types.ts';
import { isTimeZone } from './zoned-time.ts';

const instant = z.iso.datetime({ offset: true }).openapi({ example: '2026-06-01T09:00:00+01:00' });

export const SchedulePrompt = humanText({ multiline: true, allowBidi: true })
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_PROMPT_CHARS, `must be at most ${MAX_PROMPT_CHARS} characters`)
  .openapi({ example: 'Remind the participant to log today’s symptoms.' });

export const TimeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone such as Europe/London')
  .openapi({ example: 'Europe/London' });

export const Repeat = z
  .object({
    every: z.number().int().min(1).max(1000),
    unit: z.enum(RECURRENCE_UNITS),
    times: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .nullable()
      .optional()
      .describe('Occurrences in all (the first included)'),
    until: instant.nullable().optional().describe('No occurrence after this instant'),
  })
  .openapi('ScheduleRepeat');

export const CreateSchedule = z
  .object({
    chatbotId: z.string().min(1).max(64).openapi({ example: 'bot_…' }),
    prompt: SchedulePrompt,
    at: instant.describe('The first occurrence'),
    timeZone: TimeZone.optional().describe(
      'Days, weeks and months keep their local time of day in this zone. Omitted: the participant’s time zone ' +
        '(their participant data key `timezone` for this chatbot), else UTC',
    ),
    repeat: Repeat.nullable().optional().describe('Omit for a one-off'),
  })
  .openapi('CreateSchedule');

export const ChangeSchedule = z
  .object({
    status: z.enum(['active', 'paused']).optional().describe('Pause, or resume (skipping occurrences that passed)'),
    nextDueAt: instant.optional().describe('Move the next occurrence; later ones follow from it'),
    prompt: SchedulePrompt.optional(),
  })
  .openapi('ChangeSchedule');

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const ScheduleView = z
  .object({
    id: z.string(),
    participantId: z.string(),
    chatbotId: z.string(),
    prompt: z.string(),
    timeZone: z.string(),
    repeat: z
      .object({ every: z.number(), unit: z.string(), times: z.number().nullable(), until: z.string().nullable() })
      .nullable(),
    status: z.enum(['active', 'paused', 'done', 'cancelled']),
    nextDueAt: z.string().nullable(),
    firedCount: z.number(),
    failedCount: z.number(),
    attempts: z.number().describe('Attempts at the next occurrence so far (retried up to 3 times)'),
    lastAttemptAt: z.string().nullable(),
    lastOutcome: z.string().nullable(),
    origin: z.enum(['api', 'llm', 'action']),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Schedule');

export const presentSchedule = (participantId: string, schedule: Schedule): z.infer<typeof ScheduleView> => ({
  id: schedule.id,
  participantId,
  chatbotId: schedule.chatbotId,
  prompt: schedule.prompt,
  timeZone: schedule.timeZone,
  repeat: schedule.recurrence && { ...schedule.recurrence, until: iso(schedule.recurrence.until) },
  status: schedule.status,
  nextDueAt: iso(schedule.nextDueAt),
  firedCount: schedule.firedCount,
  failedCount: schedule.failedCount,
  attempts: schedule.attempts,
  lastAttemptAt: iso(schedule.lastAttemptAt),
  lastOutcome: schedule.lastOutcome,
  origin: schedule.origin,
  createdAt: iso(schedule.createdAt) as string,
  updatedAt: iso(schedule.updatedAt) as string,
});

export const AttemptView = z
  .object({
    dueAt: z.string(),
    attempt: z.number(),
    at: z.string(),
    outcome: z.enum(['ok', 'duplicate', 'ended', 'retrying', 'failed']),
    error: z.string().nullable(),
    conversationId: z.string().nullable(),
  })
  .openapi('ScheduleAttempt');

export const presentAttempt = (attempt: ScheduleAttempt): z.infer<typeof AttemptView> => ({
  dueAt: iso(attempt.dueAt) as string,
  attempt: attempt.attempt,
  at: iso(attempt.at) as string,
  outcome: attempt.outcome,
  error: attempt.error,
  conversationId: attempt.conversationId,
});
