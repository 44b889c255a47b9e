import type { HostTool, JsonObject, JsonValue } from '../../plugins/sdk/index.ts';
import type { Env } from '../env.ts';
import type { Clock } from '../ports/clock.ts';
import { scheduleStub } from './client.ts';
import { MAX_PROMPT_CHARS } from './limits.ts';
import { RECURRENCE_UNITS, type RecurrenceUnit } from './recurrence.ts';
import type { Schedule, ScheduleResult } from './types.ts';
import { isTimeZone } from './zoned-time.ts';

/** Whose reminders a turn's tools touch: the conversation's participant with this chatbot, nobody else's. */
export interface ReminderScope {
  env: Env;
  teamId: string;
  chatbotId: string;
  participantId: string | null;
  clock: Clock;
}

const view = (s: Schedule): JsonObject => ({
  id: s.id,
  prompt: s.prompt,
  status: s.status,
  nextDueAt: s.nextDueAt === null ? null : new Date(s.nextDueAt).toISOString(),
  timeZone: s.timeZone,
  repeat: s.recurrence ? { every: s.recurrence.every, unit: s.recurrence.unit, times: s.recurrence.times } : null,
});

const outcome = (result: ScheduleResult): JsonValue =>
  result.ok ? view(result.schedule) : { error: result.refusal.message };

const isoTime = {
  type: 'string',
  format: 'date-time',
  description: 'ISO 8601 with offset, e.g. 2026-06-01T09:00:00+01:00',
};

/**
 * The built-in `reminders` tool set: create, list, move and cancel the participant's reminders with this chatbot
 * (scheduled messages, worker/schedules/). Closed over the turn's participant and chatbot.
 */
export function reminderTools(scope: ReminderScope): HostTool[] {
  const { env, teamId, chatbotId, participantId, clock } = scope;
  const ref = participantId ? { teamId, participantId } : null;
  const noParticipant = { error: 'this conversation has no participant to remind' };
  const stub = () => (ref ? scheduleStub(env, ref) : null);
  const mine = async (id: string) => {
    const schedule = ref ? await scheduleStub(env, ref).getSchedule(ref, id) : null;
    return schedule && schedule.chatbotId === chatbotId ? schedule : null;
  };
  return [
    {
      name: 'create_reminder',
      description: 'Schedule a reminder: at the given time you will be asked to message the user with this prompt.',
      parameters: {
        type: 'object',
        properties: {
          prompt: {
            type: 'string',
            minLength: 1,
            maxLength: MAX_PROMPT_CHARS,
            description: 'What to tell the user then',
          },
          at: isoTime,
          timeZone: {
            type: 'string',
            description: "The user's IANA time zone (default: the one stored for the user, else UTC)",
          },
          every: { type: 'integer', minimum: 1, maximum: 1000, description: 'Repeat every N units (omit for once)' },
          unit: { type: 'string', enum: [...RECURRENCE_UNITS] },
          times: { type: 'integer', minimum: 1, maximum: 1000 },
        },
        required: ['prompt', 'at'],
        additionalProperties: false,
      },
      run: async (args) => {
        const s = stub();
        if (!s || !ref) return noParticipant;
        const startAt = Date.parse(String(args.at));
        if (Number.isNaN(startAt) || startAt < clock.now() - 60_000) return { error: 'at must be a future time' };
        // None given: the participant object takes the participant's own (participant data `timezone`, else UTC).
        const timeZone = typeof args.timeZone === 'string' ? args.timeZone : undefined;
        if (timeZone !== undefined && !isTimeZone(timeZone)) return { error: `unknown time zone ${timeZone}` };
        const repeat = typeof args.every === 'number' && typeof args.unit === 'string';
        return outcome(
          await s.createSchedule(ref, {
            chatbotId,
            prompt: String(args.prompt),
            ...(timeZone !== undefined && { timeZone }),
            startAt,
            recurrence: repeat
              ? {
                  every: args.every as number,
                  unit: args.unit as RecurrenceUnit,
                  times: typeof args.times === 'number' ? args.times : null,
                  until: null,
                }
              : null,
            origin: 'llm',
          }),
        );
      },
    },
    {
      name: 'list_reminders',
      description: "List the user's active and paused reminders.",
      parameters: { type: 'object', properties: {}, additionalProperties: false },
      run: async () => {
        const s = stub();
        if (!s || !ref) return noParticipant;
        return { reminders: (await s.listSchedules(ref, { chatbotId, live: true })).map(view) };
      },
    },
    {
      name: 'move_reminder',
      description: 'Move a reminder to another time (later repeats follow from it).',
      parameters: {
        type: 'object',
        properties: { id: { type: 'string' }, at: isoTime },
        required: ['id', 'at'],
        additionalProperties: false,
      },
      run: async (args) => {
        const s = stub();
        if (!s || !ref) return noParticipant;
        const at = Date.parse(String(args.at));
        if (Number.isNaN(at) || at < clock.now() - 60_000) return { error: 'at must be a future time' };
        if (!(await mine(String(args.id)))) return { error: 'no such reminder' };
        return outcome(await s.changeSchedule(ref, String(args.id), { nextDueAt: at }));
      },
    },
    {
      name: 'cancel_reminder',
      description: 'Cancel a reminder.',
      parameters: {
        type: 'object',
        properties: { id: { type: 'string' } },
        required: ['id'],
        additionalProperties: false,
      },
      run: async (args) => {
        const s = stub();
        if (!s || !ref) return noParticipant;
        if (!(await mine(String(args.id)))) return { error: 'no such reminder' };
        return outcome(await s.cancelSchedule(ref, String(args.id)));
      },
    },
  ];
}
