import type { Recurrence } from './recurrence.ts';

export type ScheduleStatus = 'active' | 'paused' | 'done' | 'cancelled';
/** Who made it: the API (and dashboard), the LLM through the reminder tools, or an event action. */
export type ScheduleOrigin = 'api' | 'llm' | 'action';

/** A scheduled message of one participant for one chatbot, as its ParticipantDO holds it. */
export interface Schedule {
  id: string;
  chatbotId: string;
  prompt: string;
  /** IANA name: days, weeks and months keep their local time of day in it. */
  timeZone: string;
  /** null for a one-off. */
  recurrence: Recurrence | null;
  status: ScheduleStatus;
  /** The occurrence to fire next (null once done or cancelled). */
  nextDueAt: number | null;
  firedCount: number;
  failedCount: number;
  /** Attempts made at the current occurrence (retries back off; the 3rd failure moves on). */
  attempts: number;
  lastAttemptAt: number | null;
  lastOutcome: AttemptOutcome | null;
  origin: ScheduleOrigin;
  createdAt: number;
  updatedAt: number;
}

/** `ok`: the bot was asked; `duplicate`: that firing had run before; `ended`: the conversation was closed. */
export type AttemptOutcome = 'ok' | 'duplicate' | 'ended' | 'retrying' | 'failed';

/** One attempt at one occurrence: the log behind GET …/schedules/{id}/attempts. */
export interface ScheduleAttempt {
  scheduleId: string;
  dueAt: number;
  attempt: number;
  at: number;
  outcome: AttemptOutcome;
  error: string | null;
  conversationId: string | null;
}

export interface NewSchedule {
  chatbotId: string;
  prompt: string;
  /** Omitted: the participant's time zone (their participant data key `timezone`, worker/schedules/time-zone.ts). */
  timeZone?: string;
  /** The first occurrence. */
  startAt: number;
  recurrence: Recurrence | null;
  origin: ScheduleOrigin;
  /**
   * The caller's key for this request: a second create with the same key answers the schedule the first one made
   * (kept as long as the schedule row, which is never deleted).
   */
  idempotencyKey?: string;
}

/** What PATCH and the move tool may change; pausing keeps the next due time, resuming skips what passed meanwhile. */
export interface ScheduleChange {
  status?: 'active' | 'paused';
  nextDueAt?: number;
  prompt?: string;
}

export interface ScheduleRefusal {
  code: 'not_found' | 'limit_reached' | 'invalid';
  field: string;
  message: string;
}

export type ScheduleResult = { ok: true; schedule: Schedule } | { ok: false; refusal: ScheduleRefusal };
