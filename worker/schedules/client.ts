import type { Env } from '../env.ts';
import { participantStub } from '../participant-data/client.ts';
import type { ParticipantRef } from '../participant-data/types.ts';
import type { NewSchedule, Schedule, ScheduleAttempt, ScheduleChange, ScheduleResult } from './types.ts';

/**
 * What callers may ask of a participant object about schedules (ParticipantDO implements it beside the participant
 * data RPC). Refusals come back as values: a thrown error loses its class over RPC.
 */
export interface ScheduleRpc {
  listSchedules(ref: ParticipantRef, filter?: { chatbotId?: string; live?: boolean }): Promise<Schedule[]>;
  getSchedule(ref: ParticipantRef, scheduleId: string): Promise<Schedule | null>;
  createSchedule(ref: ParticipantRef, input: NewSchedule): Promise<ScheduleResult>;
  changeSchedule(ref: ParticipantRef, scheduleId: string, change: ScheduleChange): Promise<ScheduleResult>;
  cancelSchedule(ref: ParticipantRef, scheduleId: string): Promise<ScheduleResult>;
  scheduleAttempts(ref: ParticipantRef, scheduleId: string): Promise<ScheduleAttempt[] | null>;
  /** Arms the alarm now when a schedule is overdue (the cron's reconciliation); returns whether it was. */
  rearmSchedules(ref: ParticipantRef): Promise<boolean>;
}

/** The participant's object (one per team × participant, named as worker/participant-data/client.ts names it). */
export function scheduleStub(env: Env, ref: ParticipantRef): ScheduleRpc {
  return participantStub(env, ref) as unknown as ScheduleRpc;
}
