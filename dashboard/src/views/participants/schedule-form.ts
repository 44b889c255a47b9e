/**
 * What the Schedules section reads around its forms: the API's 400 field errors keyed as the form names its fields,
 * the time zone a new schedule starts in, and the order of the list.
 */
import type { ChatbotParticipantData } from '../../../../worker/participant-data/schemas.ts';
import type { Schedule } from './schedule-time';

/**
 * A 400's `details` (`[{ field: "body.repeat.until", message }]`) as a map from the field's path under the body
 * (`repeat.until`; `''` for the body itself). The first message of a field wins; other targets are left out.
 */
export function bodyFieldErrors(details: unknown): Map<string, string> {
  const errors = new Map<string, string>();
  if (!Array.isArray(details)) return errors;
  for (const detail of details) {
    if (typeof detail !== 'object' || detail === null) continue;
    const { field, message } = detail as { field?: unknown; message?: unknown };
    if (typeof field !== 'string' || !/^body(\.|$)/.test(field)) continue;
    const key = field.replace(/^body\.?/, '');
    if (!errors.has(key)) errors.set(key, String(message ?? 'invalid'));
  }
  return errors;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.trim() !== '';
  } catch {
    return false;
  }
}

/** The browser's own zone (`Europe/Berlin`), UTC when it names none. */
export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * The zone a new schedule with `chatbotId` defaults to, as the worker does (docs/schedules.md): the participant
 * data key `timezone` that chatbot stores, else the team-wide profile's `timezone`, else the browser's. A value that
 * is no IANA zone is skipped.
 */
export function defaultTimeZone(
  chatbotData: readonly ChatbotParticipantData[],
  chatbotId: string,
  profile: Record<string, unknown> | null | undefined,
  fallback: string = browserTimeZone(),
): string {
  const candidates = [chatbotData.find((entry) => entry.chatbotId === chatbotId)?.data.timezone, profile?.timezone];
  for (const value of candidates) if (typeof value === 'string' && isTimeZone(value)) return value;
  return fallback;
}

const LIVE = new Set<Schedule['status']>(['active', 'paused']);

/** Live schedules soonest first, then the finished ones, most recently changed first. */
export function scheduleOrder(a: Schedule, b: Schedule): number {
  const liveA = LIVE.has(a.status);
  if (liveA !== LIVE.has(b.status)) return liveA ? -1 : 1;
  if (liveA) return (a.nextDueAt ?? '').localeCompare(b.nextDueAt ?? '');
  return b.updatedAt.localeCompare(a.updatedAt);
}
