import type { Env } from '../env.ts';
import type { ParticipantRef } from '../participant-data/types.ts';
import type { Clock } from '../ports/clock.ts';
import type { ScheduleRpc } from './client.ts';
import { type Deliver, FIRE_BATCH, fireDue } from './firing.ts';
import { flushScheduleMirror, hasUnmirrored, MIRROR_RETRY_MS, resendMirror } from './mirror.ts';
import {
  attemptsOf,
  cancelSchedule,
  changeSchedule,
  insertSchedule,
  listScheduleRows,
  nextWake,
  presentSchedule,
  scheduleRow,
} from './store.ts';
import type { NewSchedule, Schedule, ScheduleChange, ScheduleResult } from './types.ts';

/** What the participant object lends its schedules: storage, its identity checks and its single alarm. */
export interface ScheduleHost {
  ctx: DurableObjectState;
  env: Env;
  clock: Clock;
  deliver?: Deliver;
  /** Whether the object has storage yet (reads on an unstarted object answer empty). */
  started(): boolean;
  /** Creates the schema and records whose object this is (or checks it). */
  start(ref: ParticipantRef): void;
  checkRef(ref: ParticipantRef): void;
  /** Arms the alarm for `at` unless it is already armed earlier. */
  armAlarm(at: number): Promise<void>;
  /** The participant's time zone for schedules with this chatbot (their participant data `timezone`, else UTC). */
  timeZone(ref: ParticipantRef, chatbotId: string): Promise<string>;
}

/**
 * A participant's scheduled messages, in their ParticipantDO (worker/participant-data/participant-do.ts): rows in
 * its SQLite, fired by its alarm (earliest wake time), copied to D1 through the events queue after each change.
 */
export class ParticipantSchedules implements ScheduleRpc {
  /** The firing pass running now, if any (see onAlarm). */
  private firing: Promise<number> = Promise.resolve(0);

  constructor(private readonly host: ScheduleHost) {}

  private get sql(): SqlStorage {
    return this.host.ctx.storage.sql;
  }

  async listSchedules(ref: ParticipantRef, filter: { chatbotId?: string; live?: boolean } = {}): Promise<Schedule[]> {
    if (!this.host.started()) return [];
    this.host.checkRef(ref);
    return listScheduleRows(this.sql, filter).map(presentSchedule);
  }

  async getSchedule(ref: ParticipantRef, scheduleId: string): Promise<Schedule | null> {
    if (!this.host.started()) return null;
    this.host.checkRef(ref);
    const row = scheduleRow(this.sql, scheduleId);
    return row ? presentSchedule(row) : null;
  }

  /** Without a `timeZone`, the schedule takes the participant's, read once now (a later change moves nothing). */
  async createSchedule(ref: ParticipantRef, input: NewSchedule): Promise<ScheduleResult> {
    this.host.start(ref);
    const timeZone = input.timeZone ?? (await this.host.timeZone(ref, input.chatbotId));
    return this.changed(ref, () => insertSchedule(this.sql, { ...input, timeZone }, this.host.clock.now()));
  }

  async changeSchedule(ref: ParticipantRef, scheduleId: string, change: ScheduleChange): Promise<ScheduleResult> {
    if (!this.host.started()) return this.missing();
    this.host.checkRef(ref);
    return this.changed(ref, () => changeSchedule(this.sql, scheduleId, change, this.host.clock.now()));
  }

  async cancelSchedule(ref: ParticipantRef, scheduleId: string): Promise<ScheduleResult> {
    if (!this.host.started()) return this.missing();
    this.host.checkRef(ref);
    return this.changed(ref, () => cancelSchedule(this.sql, scheduleId, this.host.clock.now()));
  }

  async scheduleAttempts(ref: ParticipantRef, scheduleId: string) {
    if (!this.host.started()) return null;
    this.host.checkRef(ref);
    return scheduleRow(this.sql, scheduleId) ? attemptsOf(this.sql, scheduleId) : null;
  }

  /**
   * The cron's sweep found a D1 copy of this participant overdue. Either the alarm was lost (something is due here:
   * fire it now) or the copy is stale (a mirror message was lost, or this object fired and the copy lags): then every
   * row's copy is sent again, so the copy heals and the sweep stops waking this object. The copy keeps the newest
   * version only (consumer.ts), so a re-sent row never overwrites a newer one.
   */
  async rearmSchedules(ref: ParticipantRef): Promise<boolean> {
    if (!this.host.started()) return false;
    this.host.checkRef(ref);
    const now = this.host.clock.now();
    const wake = nextWake(this.sql);
    const overdue = wake !== undefined && wake <= now;
    if (!overdue) resendMirror(this.sql);
    if (overdue || hasUnmirrored(this.sql)) await this.host.armAlarm(now);
    return overdue;
  }

  /** The alarm's share: fire what is due, send what changed. Returns when the alarm must run next. */
  async onAlarm(ref: ParticipantRef): Promise<number | undefined> {
    const { ctx, env, clock } = this.host;
    // One firing pass at a time: an alarm that runs while another is still delivering (alarms are at-least-once)
    // would read the same rows, not yet advanced, and deliver them again, to a second new conversation where the
    // firing's idempotency key is unknown (same-minute.test.ts measured 42 of 100 replies doubled). It waits for
    // the running pass instead, then finds those rows moved on.
    const pass = () => fireDue(ctx.storage, env, ref, () => clock.now(), this.host.deliver);
    const running = this.firing.then(pass, pass);
    this.firing = running.catch(() => 0);
    const handled = await running;
    const sent = await flushScheduleMirror(this.sql, env.EVENTS, ref);
    const now = clock.now();
    // A full batch means more rows are due now; an unsent mirror is tried again shortly.
    const candidates = [
      nextWake(this.sql),
      handled >= FIRE_BATCH ? now : undefined,
      sent ? undefined : now + MIRROR_RETRY_MS,
    ];
    const due = candidates.filter((at): at is number => at !== undefined);
    return due.length > 0 ? Math.min(...due) : undefined;
  }

  /** Applies a change, then sends its D1 copy at once (the alarm retries if the queue refused) and re-arms. */
  private async changed(ref: ParticipantRef, change: () => ScheduleResult): Promise<ScheduleResult> {
    const result = this.host.ctx.storage.transactionSync(change);
    if (!result.ok) return result;
    const sent = await flushScheduleMirror(this.sql, this.host.env.EVENTS, ref);
    const now = this.host.clock.now();
    const wake = nextWake(this.sql);
    if (wake !== undefined) await this.host.armAlarm(wake);
    if (!sent) await this.host.armAlarm(now + MIRROR_RETRY_MS);
    return result;
  }

  private missing(): ScheduleResult {
    return { ok: false, refusal: { code: 'not_found', field: 'scheduleId', message: 'Schedule not found' } };
  }
}
