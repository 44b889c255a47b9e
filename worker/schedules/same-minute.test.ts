import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
  runDurableObjectAlarm,
  runInDurableObject,
} from 'cloudflare:test';
import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { seedDemo } from '../../test/seed.ts';
import { conversationStub } from '../conversation/stub.ts';
import { database } from '../db/client.ts';
import { conversations, scheduledMessages } from '../db/schema/index.ts';
import worker from '../index.ts';
import type { ParticipantRef } from '../participant-data/types.ts';
import { upsertParticipant } from '../participants/upsert.ts';
import type { QueueMessage } from '../queue/messages.ts';
import { scheduleStub } from './client.ts';
import { OVERDUE_MARGIN_MS } from './reconcile.ts';
import { oneOff, participantObject } from './testing.ts';

const PARTICIPANTS = 50;
const PER_PARTICIPANT = 2;
/** Participants whose alarm is lost before the due time: only the cron's sweep can fire their schedules. */
const LOST_ALARMS = 10;

/** Every participant object once, as the sweep's `schedule.rearm` messages name them (50 per message). */
async function redeliverRearm(refs: readonly ParticipantRef[], attempt: number) {
  const bodies: QueueMessage[] = [];
  for (let i = 0; i < refs.length; i += 50)
    bodies.push({ type: 'schedule.rearm', participants: refs.slice(i, i + 50) });
  const batch = createMessageBatch<QueueMessage>(
    'parley-events',
    bodies.map((body, i) => ({ id: `rearm-${attempt}-${i}`, timestamp: new Date(), attempts: attempt, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

const runCron = (scheduledTime: number) =>
  worker.scheduled(createScheduledController({ cron: '* * * * *', scheduledTime }), env);

/**
 * Issue 17's budget "1,000 schedules due in the same minute all fire, each exactly once", at test scale: 100
 * schedules of 50 participants due in the same second, fired by the objects' own alarms while the cron runs twice,
 * its queue messages are redelivered and alarms run again. `npm run bench:schedules` runs the 1,000.
 */
// The budget is exactly-once, not speed (`npm run bench:schedules` records latency): 100 firings through real objects
// take ≈ 20 s on an idle 2-core machine and over 60 s on a shared one, so the timeout only catches a hang.
describe('schedules due in the same minute', { timeout: 240_000 }, () => {
  it('all fire, each exactly once, through duplicated cron runs, redelivered batches and repeated alarms', async () => {
    const demo = await seedDemo();
    const db = database(env.DB);
    const refs: ParticipantRef[] = [];
    for (let i = 0; i < PARTICIPANTS; i++) {
      const { row } = await upsertParticipant(
        db,
        { teamId: demo.teamId, platform: 'api', externalId: `same-minute-${i}` },
        {},
      );
      refs.push({ teamId: demo.teamId, participantId: row.id });
    }
    // Due 6 s from now, all within one second: time to create them and let their D1 copies land first.
    const dueAt = Date.now() + 6_000;
    const due = new Map<string, { ref: ParticipantRef; dueAt: number }>();
    await Promise.all(
      refs.map(async (ref, p) => {
        for (let k = 0; k < PER_PARTICIPANT; k++) {
          const at = dueAt + ((p * PER_PARTICIPANT + k) % 10) * 100;
          const created = await scheduleStub(env, ref).createSchedule(
            ref,
            oneOff(demo.chatbotId, at, `Reminder ${p}.${k}`),
          );
          if (!created.ok) throw new Error(created.refusal.message);
          due.set(created.schedule.id, { ref, dueAt: at });
        }
      }),
    );
    expect(due.size).toBe(PARTICIPANTS * PER_PARTICIPANT);
    const copies = () => db.query.scheduledMessages.findMany({ where: eq(scheduledMessages.teamId, demo.teamId) });
    await vi.waitFor(async () => expect(await copies()).toHaveLength(due.size), { timeout: 10_000, interval: 200 });

    // Lost alarms: these objects would never wake on their own.
    const lost = refs.slice(0, LOST_ALARMS);
    for (const ref of lost) {
      await runInDurableObject(participantObject(ref), (_instance, state) => state.storage.deleteAlarm());
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueAt + 1_000 - Date.now())));

    // While the alarms fire: the cron twice at once (a scheduled time late enough that every stale copy is overdue),
    // the sweep's messages redelivered twice, and a duplicated alarm on every object.
    const cronAt = Math.ceil((dueAt + 1_000 + OVERDUE_MARGIN_MS) / 300_000) * 300_000;
    const [, , first, second] = await Promise.all([
      runCron(cronAt),
      runCron(cronAt),
      redeliverRearm(refs, 1),
      redeliverRearm(refs, 2),
      ...refs.map((ref) => runDurableObjectAlarm(participantObject(ref))),
    ]);
    expect(first.explicitAcks).toHaveLength(1);
    expect(second.explicitAcks).toHaveLength(1);

    const schedules = async () =>
      Promise.all([...due].map(async ([id, { ref }]) => scheduleStub(env, ref).getSchedule(ref, id)));
    await vi.waitFor(
      async () => expect((await schedules()).filter((s) => s?.status === 'done')).toHaveLength(due.size),
      { timeout: 30_000, interval: 250 },
    );

    // Once all fired: everything again, late (the copies in D1 may still say active).
    await Promise.all([
      runCron(cronAt),
      runCron(cronAt + 300_000),
      redeliverRearm(refs, 3),
      ...refs.map((ref) => runDurableObjectAlarm(participantObject(ref))),
    ]);

    // Exactly once, by the object's log: one attempt per schedule, ok, and fired once.
    for (const schedule of await schedules()) expect(schedule).toMatchObject({ firedCount: 1, lastOutcome: 'ok' });
    const latencies: number[] = [];
    for (const [id, { ref, dueAt: at }] of due) {
      const attempts = await scheduleStub(env, ref).scheduleAttempts(ref, id);
      expect(attempts?.map((a) => [a.attempt, a.outcome])).toEqual([[1, 'ok']]);
      latencies.push((attempts?.[0]?.at ?? Number.POSITIVE_INFINITY) - at);
    }
    // Logged after the reply was written: never before the due time, and within seconds of it.
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...latencies)).toBeLessThan(30_000);

    // Exactly once, by what the participants got: one bot reply per schedule, in one conversation each.
    const rows = await db.query.conversations.findMany({
      where: and(
        eq(conversations.teamId, demo.teamId),
        inArray(
          conversations.participantId,
          refs.map((ref) => ref.participantId),
        ),
      ),
    });
    const replies = new Map<string, number>();
    const starts: number[] = [];
    for (const row of rows) {
      const { data } = await conversationStub(env, row.id).history();
      for (const message of data) {
        const event = message.metadata.event as { type?: string; id?: string } | undefined;
        if (message.role === 'assistant' && event?.type === 'schedule' && event.id) {
          expect(message.status).toBe('complete');
          replies.set(event.id, (replies.get(event.id) ?? 0) + 1);
          starts.push(message.createdAt - (due.get(event.id)?.dueAt ?? Number.POSITIVE_INFINITY));
        }
      }
    }
    // A reply starts after its due time, and (locally, 2 schedules per object, 2 s per offline reply) within
    // seconds of it; a firing that waited for the next cron sweep (5 minutes) would fail this.
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...starts)).toBeLessThan(20_000);
    expect([...replies.keys()].sort()).toEqual([...due.keys()].sort());
    expect([...replies.values()].every((count) => count === 1)).toBe(true);
    expect(rows).toHaveLength(PARTICIPANTS);

    // The D1 copies follow: every one done, fired once.
    await vi.waitFor(
      async () => {
        const done = (await copies()).filter((copy) => copy.status === 'done' && copy.firedCount === 1);
        expect(done).toHaveLength(due.size);
      },
      { timeout: 10_000, interval: 250 },
    );
  });
});
