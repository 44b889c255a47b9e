import type { JsonValue } from '../../plugins/sdk/json.ts';
import { isTimeZone } from './zoned-time.ts';

/** The participant data key holding a participant's IANA time zone, as Open Chat Studio names it. */
export const TIME_ZONE_KEY = 'timezone';
// The longest IANA names are ~30 characters (America/Argentina/ComodRivadavia); anything far longer is not one.
const MAX_TIME_ZONE_CHARS = 64;

/**
 * A participant's time zone: their participant data's `timezone` when it names a zone the runtime knows, else UTC.
 * The value is written by pipelines, integrations and the API, so a typo or a stale value must not fail a schedule:
 * it falls back to UTC rather than refusing.
 */
export function participantTimeZone(data: Readonly<Record<string, JsonValue>>): string {
  const value = data[TIME_ZONE_KEY];
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TIME_ZONE_CHARS) return 'UTC';
  return isTimeZone(value) ? value : 'UTC';
}
