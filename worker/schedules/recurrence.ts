import { daysInMonth, localTime, zonedInstant } from './zoned-time.ts';

export const RECURRENCE_UNITS = ['minutes', 'hours', 'days', 'weeks', 'months'] as const;
export type RecurrenceUnit = (typeof RECURRENCE_UNITS)[number];

/** "Every N units", at most `times` occurrences in all and none after `until` (ms), as Open Chat Studio offers. */
export interface Recurrence {
  every: number;
  unit: RecurrenceUnit;
  times: number | null;
  until: number | null;
}

const MINUTE_MS = 60_000;

/**
 * Occurrence `steps` after the one at `anchor`. Minutes and hours are elapsed time (every 90 minutes stays 90
 * minutes apart across a DST change); days, weeks and months keep the local time of day in `timeZone`, and a month
 * step keeps the anchor's day of month, clamped to the month's last day (the 31st → 30 Apr, 28/29 Feb, 31 Mar).
 * Each occurrence is computed from the anchor, never from the previous one, so clamping never drifts.
 */
export function occurrenceAfter(anchor: number, recurrence: Recurrence, steps: number, timeZone: string): number {
  const { every, unit } = recurrence;
  if (unit === 'minutes') return anchor + steps * every * MINUTE_MS;
  if (unit === 'hours') return anchor + steps * every * 60 * MINUTE_MS;
  const local = localTime(anchor, timeZone);
  // Wall-clock fields stop at seconds; the anchor's milliseconds carry over unchanged.
  const millis = ((anchor % 1000) + 1000) % 1000;
  if (unit === 'days' || unit === 'weeks') {
    const days = steps * every * (unit === 'weeks' ? 7 : 1);
    return zonedInstant({ ...local, day: local.day + days }, timeZone) + millis;
  }
  const monthIndex = local.month - 1 + steps * every;
  const year = local.year + Math.floor(monthIndex / 12);
  const month = (((monthIndex % 12) + 12) % 12) + 1;
  return zonedInstant({ ...local, year, month, day: Math.min(local.day, daysInMonth(year, month)) }, timeZone) + millis;
}

/** Where a schedule's series stands: occurrence `anchorIndex` is (or was) due at `anchorAt`. */
export interface SeriesPosition {
  anchorAt: number;
  anchorIndex: number;
}

/**
 * The due time of occurrence `index` (counted from 0 over the schedule's life), or null when the series is over:
 * a one-off has only occurrence 0, a recurrence stops after `times` occurrences or past `until`.
 */
export function dueOf(
  position: SeriesPosition,
  recurrence: Recurrence | null,
  index: number,
  timeZone: string,
): number | null {
  if (!recurrence) return index === position.anchorIndex ? position.anchorAt : null;
  if (recurrence.times !== null && index >= recurrence.times) return null;
  const at = occurrenceAfter(position.anchorAt, recurrence, index - position.anchorIndex, timeZone);
  if (recurrence.until !== null && at > recurrence.until) return null;
  return at;
}
