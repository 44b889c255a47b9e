import { z } from '@hono/zod-openapi';
import { findChatbot } from '../chatbots/store.ts';
import type { Database } from '../db/client.ts';
import { ApiError } from '../http/errors.ts';
import { DAY_MS, utcDate } from '../http/time-range.ts';

export const DEFAULT_DAYS = 30;
export const MAX_DAYS = 366;

/** The `from` / `to` / `chatbotId` query of the reporting endpoints (usage, analytics). */
export const DayRangeQuery = z.object({
  from: z.iso
    .date()
    .optional()
    .openapi({ description: `First day (UTC); default ${DEFAULT_DAYS} days before to` }),
  to: z.iso.date().optional().openapi({ description: 'Last day included (UTC); default today' }),
  chatbotId: z.string().min(1).max(64).optional(),
});

const dayStart = (date: string) => Date.parse(`${date}T00:00:00Z`);
const rangeError = (field: string, message: string) =>
  new ApiError(400, 'invalid_request', `Invalid ${field}`, [{ field, message }]);

/** Whole UTC days: the first millisecond included and the first excluded. */
export function dayRange(query: z.infer<typeof DayRangeQuery>, now = Date.now()): { start: number; end: number } {
  const end = (query.to === undefined ? dayStart(utcDate(now)) : dayStart(query.to)) + DAY_MS;
  const start = query.from === undefined ? end - DEFAULT_DAYS * DAY_MS : dayStart(query.from);
  if (start >= end) throw rangeError('query.to', 'must not be before query.from');
  if (end - start > MAX_DAYS * DAY_MS) throw rangeError('query.from', `the range spans at most ${MAX_DAYS} days`);
  return { start, end };
}

/** The id of the chatbot named by id or slug (when one is named); 404 unless it belongs to the team. */
export async function requireChatbotInTeam(
  db: Database,
  teamId: string,
  idOrSlug: string | undefined,
): Promise<string | undefined> {
  if (idOrSlug === undefined) return undefined;
  return (await findChatbot(db, teamId, idOrSlug)).id;
}
