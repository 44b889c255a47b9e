/**
 * Schedules in the participant view: local times in a schedule's IANA time zone (a `datetime-local` field names a
 * wall time there, not in the browser's zone), recurrences in words, and the create form's request body. Only the
 * runtime's Intl data, as the worker (worker/schedules/zoned-time.ts).
 */
import type { z } from 'zod';
import type { AttemptView, CreateSchedule, ScheduleView } from '../../../../worker/schedules/schemas.ts';

export type Schedule = z.infer<typeof ScheduleView>;
export type ScheduleAttempt = z.infer<typeof AttemptView>;
export type CreateScheduleBody = z.input<typeof CreateSchedule>;
export type Repeat = NonNullable<CreateScheduleBody['repeat']>;
export type RepeatUnit = Repeat['unit'];

export const REPEAT_UNITS: readonly RepeatUnit[] = ['minutes', 'hours', 'days', 'weeks', 'months'];

/** The wall clock in `timeZone` at `instant`, as `YYYY-MM-DDTHH:mm:ss` read as UTC (ms). */
function wallClock(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
}

const offsetAt = (instant: number, timeZone: string) =>
  wallClock(instant, timeZone) - Math.floor(instant / 1000) * 1000;

/**
 * The instant a `datetime-local` value (`2026-06-01T09:00`) names in `timeZone`, as ISO; null for a malformed
 * value or an unknown zone (Intl throws RangeError for one). A wall time skipped by a DST change moves forward by the
 * gap, as the worker does.
 */
export function zonedInstant(local: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return null;
  }
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return new Date(Math.max(first, second)).toISOString();
}

/** `instant` as a `datetime-local` value in `timeZone`. */
export function zonedLocal(instant: string | number, timeZone: string): string {
  return new Date(wallClock(new Date(instant).getTime(), timeZone)).toISOString().slice(0, 16);
}

/** `instant` in `timeZone`, with the zone's short name ("1 Jun 2026, 09:00 BST"). */
export function formatZoned(instant: string | null, timeZone: string): string {
  if (!instant) return '—';
  // dateStyle and timeStyle cannot be combined with timeZoneName (Intl refuses it): the fields one by one.
  return new Intl.DateTimeFormat(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(instant));
}

/** "Once", "Every day", "Every 2 weeks, 5 times", "Every month until 1 Jan 2027". */
export function recurrenceText(repeat: Schedule['repeat'], timeZone = 'UTC'): string {
  if (!repeat) return 'Once';
  const unit = repeat.every === 1 ? repeat.unit.replace(/s$/, '') : `${repeat.every} ${repeat.unit}`;
  const times = repeat.times ? `, ${repeat.times} times` : '';
  const until = repeat.until
    ? ` until ${new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone }).format(new Date(repeat.until))}`
    : '';
  return `Every ${unit}${times}${until}`;
}

/** The create form's fields, as text (numbers and times are read when sent). */
export interface ScheduleFields {
  chatbotId: string;
  prompt: string;
  at: string;
  timeZone: string;
  repeats: boolean;
  every: string;
  unit: RepeatUnit;
  times: string;
  until: string;
}

/**
 * The request body for `POST …/schedules`. A time that names no instant is sent as typed, so the API names the field;
 * an empty "times" or "until" is no limit.
 */
export function scheduleBody(fields: ScheduleFields): CreateScheduleBody {
  const instant = (local: string) => zonedInstant(local, fields.timeZone) ?? local;
  const repeat: Repeat | undefined = fields.repeats
    ? {
        every: Number(fields.every),
        unit: fields.unit,
        ...(fields.times.trim() && { times: Number(fields.times) }),
        ...(fields.until && { until: instant(fields.until) }),
      }
    : undefined;
  return {
    chatbotId: fields.chatbotId,
    prompt: fields.prompt,
    at: instant(fields.at),
    timeZone: fields.timeZone,
    ...(repeat && { repeat }),
  };
}
