import type { ParticipantRef } from '../participant-data/types.ts';

/** One schedule as its D1 copy holds it (worker/db/schema/schedules.ts). */
export interface ScheduleMirrorRow {
  id: string;
  chatbotId: string;
  prompt: string;
  timeZone: string;
  recurrence: string | null;
  status: string;
  nextDueAt: number | null;
  firedCount: number;
  failedCount: number;
  attempts: number;
  lastAttemptAt: number | null;
  lastOutcome: string | null;
  origin: string;
  createdAt: number;
  updatedAt: number;
  version: number;
}

/** A participant object's changed schedules, for their D1 copy. */
export interface ScheduleMirrorMessage extends ParticipantRef {
  type: 'schedule.mirror';
  rows: ScheduleMirrorRow[];
}

/** From the cron's sweep: participant objects whose D1 copy says a schedule is overdue; each re-arms its alarm. */
export interface ScheduleRearmMessage {
  type: 'schedule.rearm';
  participants: ParticipantRef[];
}

export type ScheduleQueueMessage = ScheduleMirrorMessage | ScheduleRearmMessage;
