import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
  runInDurableObject,
} from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { database } from '../db/client.ts';
import { scheduledMessages } from '../db/schema/index.ts';
import worker from '../index.ts';
import type { QueueMessage } from '../queue/messages.ts';
import { scheduleStub } from './client.ts';
import { jobsDue } from './cron.ts';
import { OVERDUE_MARGIN_MS } from './reconcile.ts';
import { conversationsOf, oneOff, participantObject, scheduleFixture } from './testing.ts';

const CRON = '* * * * *';

async function runCron(scheduledTime: number) {
  await worker.scheduled(createScheduledController({ cron: CRON, scheduledTime }), env);
}

describe('the cron reconciliation sweep', () => {
  it('runs each periodic job on the minutes its period divides', () => {
    const at = (minute: number) => Date.UTC(2026, 0, 1, 10, minute);
    const everyMinute = ['schedules.reconcile', 'teams.delete', 'archive.retention'];
    expect(jobsDue(at(5)).map((job) => job.id)).toEqual([
      'schedules.reconcile',
      'custom-actions.health',
      'teams.delete',
      'archive.retention',
    ]);
    // The sweep every minute (a lost alarm is caught within ~3 minutes); health checks only every 5.
    expect(jobsDue(at(7)).map((job) => job.id)).toEqual(everyMinute);
    expect(jobsDue(at(7) + 59_999).map((job) => job.id)).toEqual(everyMinute);
  });

  it('re-arms an object whose alarm was lost; duplicated invocations and redelivery fire it once', async () => {
    const ref = await scheduleFixture();
    const stub = scheduleStub(env, ref);
    const created = await stub.createSchedule(ref, oneOff(ref.chatbotId, Date.now() + 3_600_000));
    if (!created.ok) throw new Error('not created');
    const id = created.schedule.id;
    await vi.waitFor(
      async () =>
        expect(
          await database(env.DB).query.scheduledMessages.findFirst({ where: eq(scheduledMessages.id, id) }),
        ).toBeTruthy(),
      { timeout: 5000 },
    );
    // The alarm is lost and the schedule became overdue: both the object and its D1 copy say so.
    // The invocation of the last 5-minute boundary (the job runs on minutes its period divides).
    const cronAt = Math.floor(Date.now() / 300_000) * 300_000;
    const overdue = cronAt - OVERDUE_MARGIN_MS - 60_000;
    await runInDurableObject(participantObject(ref), async (_instance, state) => {
      await state.storage.deleteAlarm();
      state.storage.sql.exec(
        'UPDATE schedules SET next_due_at = ?, wake_at = ?, anchor_at = ?',
        overdue,
        overdue,
        overdue,
      );
    });
    await database(env.DB).update(scheduledMessages).set({ nextDueAt: overdue }).where(eq(scheduledMessages.id, id));

    await Promise.all([runCron(cronAt), runCron(cronAt)]);
    await vi.waitFor(async () => expect((await stub.getSchedule(ref, id))?.status).toBe('done'), { timeout: 10_000 });

    // The sweep's message redelivered (its copy in D1 may still say overdue): the object fires nothing again.
    const batch = createMessageBatch<QueueMessage>('parley-events', [
      { id: 'r1', timestamp: new Date(), attempts: 2, body: { type: 'schedule.rearm', participants: [ref] } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(['r1']);
    await runCron(cronAt);
    expect(await stub.scheduleAttempts(ref, id)).toHaveLength(1);
    expect(await conversationsOf(ref.participantId)).toHaveLength(1);
    await vi.waitFor(
      async () =>
        expect(
          await database(env.DB).query.scheduledMessages.findFirst({ where: eq(scheduledMessages.id, id) }),
        ).toMatchObject({ status: 'done', firedCount: 1 }),
      { timeout: 5000 },
    );
  });

  it("heals a stale D1 copy: the object, not due, sends its rows again and the sweep's trace is the copy put right", async () => {
    const ref = await scheduleFixture();
    const stub = scheduleStub(env, ref);
    const dueAt = Date.now() + 86_400_000;
    const created = await stub.createSchedule(ref, oneOff(ref.chatbotId, dueAt));
    if (!created.ok) throw new Error('not created');
    const id = created.schedule.id;
    const copy = () => database(env.DB).query.scheduledMessages.findFirst({ where: eq(scheduledMessages.id, id) });
    await vi.waitFor(async () => expect(await copy()).toBeTruthy(), { timeout: 5000 });
    // A lost mirror message: D1 holds an older version that says the schedule is overdue.
    const cronAt = Math.floor(Date.now() / 300_000) * 300_000;
    const stale = cronAt - OVERDUE_MARGIN_MS - 60_000;
    await database(env.DB)
      .update(scheduledMessages)
      .set({ nextDueAt: stale, version: 0 })
      .where(eq(scheduledMessages.id, id));
    await runCron(cronAt);
    await vi.waitFor(async () => expect(await copy()).toMatchObject({ nextDueAt: dueAt, status: 'active' }), {
      timeout: 10_000,
    });
    // Nothing fired: the object decides, and nothing of it was due.
    expect(await stub.scheduleAttempts(ref, id)).toEqual([]);
    expect(await conversationsOf(ref.participantId)).toHaveLength(0);
  });
});
