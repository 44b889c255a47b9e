import { z } from 'zod';
import type { ToolFunction } from '../../sdk/index.ts';
import { titled } from '../../sdk/titles.ts';

/** True when `Intl` knows the zone; Intl is the source of truth because it is what formats the answer. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const invalidTimeZone = (timeZone: string): string =>
  `Unknown time zone "${timeZone}": use an IANA name such as "Europe/Paris", "America/New_York" or "UTC"`;

/** A time zone setting or argument, rejected with a message the model (or admin) can act on. */
export const timeZoneSchema = z
  .string()
  .min(1)
  .refine(isTimeZone, { error: (issue) => invalidTimeZone(String(issue.input)) });

export const currentTimeArgs = z.strictObject({
  timeZone: timeZoneSchema
    .optional()
    .describe('IANA time zone to give the local time in, e.g. "Europe/Paris". Defaults to the configured zone.'),
});

export type CurrentTime = {
  /** The instant in UTC, ISO 8601 with milliseconds. */
  iso: string;
  /** The zone's canonical IANA name (Intl normalizes case and aliases such as "utc"). */
  timeZone: string;
  /** Wall-clock time in that zone, ISO 8601 with its UTC offset, e.g. "2026-01-15T13:00:00+01:00". */
  local: string;
  /** Models are poor at calendar arithmetic, so the weekday is given rather than left to be worked out. */
  weekday: string;
};

/** Pure: describes the instant `epochMs` in `timeZone`. Throws a RangeError naming the zone when Intl rejects it. */
export function describeTime(epochMs: number, timeZone: string): CurrentTime {
  if (!isTimeZone(timeZone)) throw new RangeError(invalidTimeZone(timeZone));
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'long',
    timeZoneName: 'longOffset',
  });
  const parts = Object.fromEntries(format.formatToParts(epochMs).map((part) => [part.type, part.value]));
  // longOffset gives "GMT+05:30", or bare "GMT" at offset zero.
  const offset = (parts.timeZoneName ?? 'GMT').replace(/^GMT/, '') || '+00:00';
  const local = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
  return {
    iso: new Date(epochMs).toISOString(),
    timeZone: format.resolvedOptions().timeZone,
    local,
    weekday: parts.weekday ?? '',
  };
}

export const clockSettings = titled(
  z.object({
    defaultTimeZone: timeZoneSchema.default('UTC').describe('IANA time zone used when the model does not name one.'),
  }),
  { defaultTimeZone: 'Default time zone' },
);

export type ClockSettings = z.infer<typeof clockSettings>;

export const currentTime: ToolFunction<typeof currentTimeArgs, ClockSettings> = {
  name: 'current_time',
  description:
    'Returns the current date and time: the UTC instant, and the local time and weekday in a time zone. ' +
    "Call it whenever the answer depends on today's date or the time of day.",
  parameters: currentTimeArgs,
  run: async (ctx, args) => describeTime(ctx.clock.now(), args.timeZone ?? ctx.settings.defaultTimeZone),
};
