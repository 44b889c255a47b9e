/**
 * Wall-clock time in an IANA time zone with the platform's Intl data only (no time-zone library): the recurrence
 * of a schedule keeps its local time of day across daylight-saving changes.
 */

export interface LocalDateTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether the runtime knows `timeZone` (an IANA name such as `Europe/London`, or `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading of `at` (ms since the epoch) in `timeZone`, to the second. */
export function localTime(at: number, timeZone: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(at))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const asUtc = (local: LocalDateTime) =>
  Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);

/** The zone's offset from UTC at `at`, in ms (positive east of Greenwich). */
function offsetAt(at: number, timeZone: string): number {
  const whole = Math.floor(at / 1000) * 1000;
  return asUtc(localTime(whole, timeZone)) - whole;
}

// Offsets change at most once within this window around any instant (DST and zone changes are months apart).
const AROUND_MS = 12 * 60 * 60 * 1000;

/**
 * The instant a wall-clock time happens in `timeZone`. Fields may overflow (day 32, month 13): they roll over as
 * Date.UTC rolls them. A time that occurs twice (the hour repeated when clocks go back) gives the first; a time that
 * never occurs (skipped when clocks go forward) moves forward by the gap, e.g. 01:30 → 02:30 in London in March.
 */
export function zonedInstant(local: LocalDateTime, timeZone: string): number {
  const wall = asUtc(local);
  const before = offsetAt(wall - AROUND_MS, timeZone);
  const after = offsetAt(wall + AROUND_MS, timeZone);
  const candidates = [wall - before, wall - after].filter((at) => asUtc(localTime(at, timeZone)) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - before;
}

/** Days in a month (1–12) of a year, for clamping the 31st to the end of a shorter month. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
