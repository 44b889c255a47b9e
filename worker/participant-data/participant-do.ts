import { DurableObject } from 'cloudflare:workers';
import type { JsonObject } from '../../plugins/sdk/json.ts';
import type { Env } from '../env.ts';
import { type Clock, systemClock } from '../ports/clock.ts';
import type { ScheduleRpc } from '../schedules/client.ts';
import { ParticipantSchedules } from '../schedules/participant-schedules.ts';
import { participantTimeZone } from '../schedules/time-zone.ts';
import type { NewSchedule, ScheduleChange } from '../schedules/types.ts';
import { type SecretBox, secretBox } from '../security/secrets.ts';
import { type ApplyResult, applyParticipantWrites, capped } from './apply-writes.ts';
import { enqueueMirror, flushMirror, nextMirrorDue } from './mirror.ts';
import { openParticipantData, sealParticipantData } from './sealing.ts';
import { migrateParticipantStorage, participantStorageStarted } from './storage-schema.ts';
import type {
  ChangeResult,
  ChatbotData,
  ParticipantDataKey,
  ParticipantDataWrite,
  ParticipantRef,
  ParticipantRpc,
} from './types.ts';

/** Run ids remembered for idempotent commits: a retry comes within seconds, far fewer runs than this apart. */
export const RUN_IDS_KEPT = 1000;

/**
 * One participant of one team: the source of truth for their data per chatbot (and, with the events issue, their
 * schedules). A turn reads and commits with one call each, never touching D1; every change queues its D1 copy, which
 * the object's alarm writes later. Calls run one at a time: a commit reads, decrypts, applies and encrypts across
 * awaits, and two conversations of one participant committing together must both apply, in some order.
 */
export class ParticipantDO extends DurableObject<Env> implements ParticipantRpc, ScheduleRpc {
  private started: boolean;
  /** Erased by team deletion (erase): this instance arms no alarm again. */
  private erased = false;
  private readonly clock: Clock = systemClock;
  /** Decrypted data by chatbot id: a turn's read costs no decryption after the first. */
  private readonly cache = new Map<string, ChatbotData>();
  private queue: Promise<unknown> = Promise.resolve();
  /** The participant's scheduled messages (worker/schedules/), on this object's storage and alarm. */
  private readonly schedules = new ParticipantSchedules({
    ctx: this.ctx,
    env: this.env,
    clock: this.clock,
    started: () => this.started,
    start: (ref) => this.start(ref),
    checkRef: (ref) => this.checkRef(ref),
    armAlarm: (at) => this.armAlarm(at),
    timeZone: async (ref, chatbotId) => participantTimeZone((await this.chatbotData({ ...ref, chatbotId })).data),
  });

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.started = participantStorageStarted(ctx.storage.sql);
    if (this.started) migrateParticipantStorage(ctx.storage.sql);
  }

  async chatbotData(key: ParticipantDataKey): Promise<ChatbotData> {
    return this.serial(() => this.read(key));
  }

  async allData(ref: ParticipantRef): Promise<ChatbotData[]> {
    return this.serial(async () => {
      if (!this.started) return [];
      this.checkRef(ref);
      const rows = this.ctx.storage.sql
        .exec<{ chatbot_id: string }>('SELECT chatbot_id FROM chatbot_data ORDER BY chatbot_id')
        .toArray();
      const all: ChatbotData[] = [];
      for (const row of rows) all.push(await this.read({ ...ref, chatbotId: row.chatbot_id }));
      return all;
    });
  }

  async applyWrites(
    key: ParticipantDataKey,
    writes: readonly ParticipantDataWrite[],
    runId?: string,
  ): Promise<ChangeResult> {
    return this.change(key, (current) => applyParticipantWrites(current, writes), runId);
  }

  async replaceData(key: ParticipantDataKey, data: JsonObject): Promise<ChangeResult> {
    return this.change(key, () => capped(structuredClone(data)));
  }

  async resetData(key: ParticipantDataKey): Promise<{ existed: boolean }> {
    return this.serial(async () => {
      if (!this.started) return { existed: false };
      const current = await this.read(key);
      if (current.updatedAt === null) return { existed: false };
      const now = this.clock.now();
      const at = Math.max(now, current.updatedAt + 1);
      const { sql } = this.ctx.storage;
      this.ctx.storage.transactionSync(() => {
        sql.exec('DELETE FROM chatbot_data WHERE chatbot_id = ?', key.chatbotId);
        enqueueMirror(sql, key.chatbotId, at, now);
      });
      this.cache.delete(key.chatbotId);
      await this.armAlarm(now);
      return { existed: true };
    });
  }

  listSchedules(ref: ParticipantRef, filter?: { chatbotId?: string; live?: boolean }) {
    return this.schedules.listSchedules(ref, filter);
  }

  getSchedule(ref: ParticipantRef, scheduleId: string) {
    return this.schedules.getSchedule(ref, scheduleId);
  }

  createSchedule(ref: ParticipantRef, input: NewSchedule) {
    return this.schedules.createSchedule(ref, input);
  }

  changeSchedule(ref: ParticipantRef, scheduleId: string, change: ScheduleChange) {
    return this.schedules.changeSchedule(ref, scheduleId, change);
  }

  cancelSchedule(ref: ParticipantRef, scheduleId: string) {
    return this.schedules.cancelSchedule(ref, scheduleId);
  }

  scheduleAttempts(ref: ParticipantRef, scheduleId: string) {
    return this.schedules.scheduleAttempts(ref, scheduleId);
  }

  rearmSchedules(ref: ParticipantRef) {
    return this.schedules.rearmSchedules(ref);
  }

  /**
   * Team deletion (worker/team-deletion/objects.ts): after every call before it, cancels the alarm (mirror retries,
   * schedules) and erases all storage. Idempotent. Later calls are refused upstream: the team's keys are revoked and
   * its participant row is deleted with this call.
   */
  async erase(): Promise<void> {
    return this.serial(async () => {
      this.erased = true;
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      this.started = false;
      this.cache.clear();
    });
  }

  /**
   * Copies changed data to D1 (retries back off, worker/participant-data/mirror.ts) and fires due schedules
   * (worker/schedules/); re-armed for whichever is due first.
   */
  override async alarm(): Promise<void> {
    if (!this.started || this.erased) return;
    const ref = this.storedRef();
    if (!ref) return;
    const { sql } = this.ctx.storage;
    const [, scheduleDue] = await Promise.all([
      flushMirror(sql, this.env.DB, ref, this.clock.now()),
      this.schedules.onAlarm(ref),
    ]);
    const due = [nextMirrorDue(sql), scheduleDue].filter((at): at is number => at !== undefined);
    if (due.length > 0) await this.ctx.storage.setAlarm(Math.min(...due));
  }

  private async change(
    key: ParticipantDataKey,
    compute: (current: JsonObject) => ApplyResult,
    runId?: string,
  ): Promise<ChangeResult> {
    return this.serial(async () => {
      this.start(key);
      const { sql } = this.ctx.storage;
      const current = await this.read(key);
      if (runId !== undefined && sql.exec('SELECT 1 FROM applied_runs WHERE run_id = ?', runId).toArray().length > 0) {
        return { ok: true, value: current, applied: false };
      }
      const result = compute(current.data);
      if (!result.ok) return result;
      const now = this.clock.now();
      // Strictly increasing per chatbot: the D1 copy keeps the newest by this clock (mirror.ts).
      const updatedAt = Math.max(now, (current.updatedAt ?? 0) + 1);
      const sealed = await sealParticipantData(await this.box(), key, result.data);
      this.ctx.storage.transactionSync(() => {
        sql.exec(
          `INSERT INTO chatbot_data (chatbot_id, sealed, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (chatbot_id) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
          key.chatbotId,
          sealed,
          updatedAt,
        );
        if (runId !== undefined) {
          sql.exec('INSERT INTO applied_runs (run_id, applied_at) VALUES (?, ?)', runId, now);
          sql.exec('DELETE FROM applied_runs WHERE seq <= (SELECT MAX(seq) FROM applied_runs) - ?', RUN_IDS_KEPT);
        }
        enqueueMirror(sql, key.chatbotId, updatedAt, now);
      });
      const value = { chatbotId: key.chatbotId, data: result.data, updatedAt };
      this.cache.set(key.chatbotId, value);
      await this.armAlarm(now);
      return { ok: true, value: structuredClone(value), applied: true };
    });
  }

  private async read(key: ParticipantDataKey): Promise<ChatbotData> {
    const empty: ChatbotData = { chatbotId: key.chatbotId, data: {}, updatedAt: null };
    if (!this.started) return empty;
    this.checkRef(key);
    const cached = this.cache.get(key.chatbotId);
    if (cached) return structuredClone(cached);
    const row = this.ctx.storage.sql
      .exec<{ sealed: string; updated_at: number }>(
        'SELECT sealed, updated_at FROM chatbot_data WHERE chatbot_id = ?',
        key.chatbotId,
      )
      .toArray()[0];
    if (!row) return empty;
    const value = {
      chatbotId: key.chatbotId,
      data: await openParticipantData(await this.box(), key, row.sealed),
      updatedAt: row.updated_at,
    };
    this.cache.set(key.chatbotId, value);
    return structuredClone(value);
  }

  /** The first write: the schema, then whose object this is (the alarm needs it to address D1). */
  private start(ref: ParticipantRef): void {
    if (!this.started) {
      migrateParticipantStorage(this.ctx.storage.sql);
      this.started = true;
    }
    if (this.storedRef()) {
      this.checkRef(ref);
      return;
    }
    this.ctx.storage.sql.exec(
      "INSERT INTO meta (key, value) VALUES ('participant', ?)",
      JSON.stringify({ teamId: ref.teamId, participantId: ref.participantId }),
    );
  }

  private storedRef(): ParticipantRef | undefined {
    const row = this.ctx.storage.sql
      .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'participant'")
      .toArray()[0];
    return row ? (JSON.parse(row.value) as ParticipantRef) : undefined;
  }

  /** An object is addressed by team and participant (client.ts); a call naming others is a bug, never served. */
  private checkRef(ref: ParticipantRef): void {
    const stored = this.storedRef();
    if (stored && (stored.teamId !== ref.teamId || stored.participantId !== ref.participantId)) {
      throw new Error('participant object addressed by another team or participant');
    }
  }

  private box(): Promise<SecretBox> {
    return secretBox(this.env);
  }

  private async armAlarm(at: number): Promise<void> {
    if (this.erased) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  /** Runs `task` after every call before it has finished, whether that call succeeded or not. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
