import type { Env } from '../env.ts';
import { scheduleStub } from './client.ts';
import type { Recurrence, RecurrenceUnit } from './recurrence.ts';
import type { Schedule } from './types.ts';
import { localTime } from './zoned-time.ts';

/**
 * `{{participant.schedules}}` (issue 17 §3, "schedules are visible to the LLM"): the participant's active scheduled
 * messages with this chatbot, one line each, soonest first.
 *
 * At most 20 are listed: a participant may hold 100 (worker/schedules/limits.ts), and the prompt is sent on every
 * turn, so all of them at ~300 characters each would add ~30,000 characters (~7,500 tokens) to each call; 20 covers
 * what a conversation refers to, and the line after them says how many more there are (the `list_reminders` tool
 * lists them all). Each prompt shows at most 200 characters on one line, so a schedule's text (written by the model,
 * the API or an action) cannot restructure the system prompt around it. The whole value stays under ~7,000 characters.
 */
export const PROMPT_SCHEDULES_MAX = 20;
const PROMPT_PREVIEW_CHARS = 200;

/** Whether a prompt names the variable: only then is the participant's object asked for their schedules. */
export const usesSchedules = (template: string) => /\{\{\s*participant\.schedules\s*\}\}/.test(template);

/**
 * The conversation's participant's schedules with its chatbot, from their ParticipantDO (one RPC); null when the
 * conversation has no participant.
 */
export async function loadPromptSchedules(
  env: Env,
  scope: { teamId: string; chatbotId: string; participantId?: string | null },
): Promise<Schedule[] | null> {
  if (!scope.participantId) return null;
  const ref = { teamId: scope.teamId, participantId: scope.participantId };
  return scheduleStub(env, ref).listSchedules(ref, { chatbotId: scope.chatbotId, live: true });
}

const pad = (n: number) => String(n).padStart(2, '0');
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `Thu 2026-03-05 09:00 Europe/London`: the wall-clock time in the schedule's own zone. */
export function zonedLabel(at: number, timeZone: string): string {
  const t = localTime(at, timeZone);
  const weekday = WEEKDAYS[new Date(Date.UTC(t.year, t.month - 1, t.day)).getUTCDay()];
  return `${weekday} ${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)} ${timeZone}`;
}

const SINGULAR: Record<RecurrenceUnit, string> = {
  minutes: 'minute',
  hours: 'hour',
  days: 'day',
  weeks: 'week',
  months: 'month',
};

/** "once", "every day", "every 2 weeks, 5 times in all (2 sent)", "every 3 hours, until Mon 2026-06-01 00:00 UTC". */
export function recurrenceInWords(recurrence: Recurrence | null, firedCount: number, timeZone: string): string {
  if (!recurrence) return 'once';
  const { every, unit, times, until } = recurrence;
  let words = every === 1 ? `every ${SINGULAR[unit]}` : `every ${every} ${unit}`;
  if (times !== null) words += `, ${times} times in all (${firedCount} sent)`;
  if (until !== null) words += `, until ${zonedLabel(until, timeZone)}`;
  return words;
}

const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PROMPT_PREVIEW_CHARS ? `${flat.slice(0, PROMPT_PREVIEW_CHARS - 1)}…` : flat;
};

/**
 * The variable's text: '' without a participant, "none" without an active schedule, else one line per schedule
 * (`- <id>: next <time in its zone>; <recurrence>; "<prompt>"`) and, past 20, how many more there are.
 */
export function renderSchedules(schedules: readonly Schedule[] | null): string {
  if (schedules === null) return '';
  const active = schedules
    .filter((s): s is Schedule & { nextDueAt: number } => s.status === 'active' && s.nextDueAt !== null)
    .sort((a, b) => a.nextDueAt - b.nextDueAt || a.id.localeCompare(b.id));
  if (active.length === 0) return 'none';
  const lines = active
    .slice(0, PROMPT_SCHEDULES_MAX)
    .map(
      (s) =>
        `- ${s.id}: next ${zonedLabel(s.nextDueAt, s.timeZone)}; ${recurrenceInWords(s.recurrence, s.firedCount, s.timeZone)}; "${oneLine(s.prompt)}"`,
    );
  const more = active.length - PROMPT_SCHEDULES_MAX;
  if (more > 0) lines.push(`- and ${more} more, not listed here`);
  return lines.join('\n');
}
