import { ApiError } from '../http/errors.ts';
import type { Recurrence } from './recurrence.ts';
import type { NewSchedule } from './types.ts';

/** A client's clock may run a little behind: a first occurrence up to 5 minutes past fires at once. */
const PAST_TOLERANCE_MS = 5 * 60_000;
/** Ten years: beyond it a date is a typo, not a plan. */
const HORIZON_MS = 10 * 366 * 24 * 60 * 60_000;

interface DueInput {
  at: string;
  timeZone?: string;
  repeat?: { every: number; unit: Recurrence['unit']; times?: number | null; until?: string | null } | null;
}

/** The schedule's first occurrence and recurrence, or a 400 naming the field that is out of range. */
export function checkFirstDue(
  body: DueInput & { chatbotId?: string; prompt?: string },
  now: number,
  field = 'at',
): Omit<NewSchedule, 'origin'> {
  const startAt = Date.parse(body.at);
  const refuse = (name: string, message: string) =>
    new ApiError(400, 'invalid_request', `Invalid body.${name}`, [{ field: `body.${name}`, message }]);
  if (startAt < now - PAST_TOLERANCE_MS) throw refuse(field, 'must not be more than 5 minutes in the past');
  if (startAt > now + HORIZON_MS) throw refuse(field, 'must be within 10 years');
  const until = body.repeat?.until ? Date.parse(body.repeat.until) : null;
  if (until !== null && until < startAt) throw refuse('repeat.until', 'must not be before the first occurrence');
  const recurrence: Recurrence | null = body.repeat
    ? { every: body.repeat.every, unit: body.repeat.unit, times: body.repeat.times ?? null, until }
    : null;
  return {
    chatbotId: body.chatbotId ?? '',
    prompt: body.prompt ?? '',
    ...(body.timeZone !== undefined && { timeZone: body.timeZone }),
    startAt,
    recurrence,
  };
}
