import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { conversationStub } from '../conversation/stub.ts';
import { database } from '../db/client.ts';
import { chatbots, scheduledMessages } from '../db/schema/index.ts';
import type { ParticipantDO } from '../participant-data/participant-do.ts';
import { scheduleStub } from './client.ts';
import { MAX_LIVE_SCHEDULES } from './limits.ts';
import { conversationsOf, makeDueNow, oneOff, participantObject, scheduleFixture } from './testing.ts';

describe('schedules in the participant object', () => {
  it('fires a due one-off on its alarm, once, into a new conversation with the chatbot', async () => {
    const ref = await scheduleFixture();
    const stub = scheduleStub(env, ref);
    // Due in an hour, then made due now: a past due time would arm an alarm the runtime fires on its own, mid-test.
    const created = await stub.createSchedule(ref, oneOff(ref.chatbotId, Date.now() + 3_600_000));
    if (!created.ok) throw new Error(created.refusal.message);
    expect(created.schedule).toMatchObject({ status: 'active', firedCount: 0, origin: 'api' });
    await makeDueNow(ref);

    expect(await runDurableObjectAlarm(participantObject(ref))).toBe(true);
    const after = await stub.getSchedule(ref, created.schedule.id);
    expect(after).toMatchObject({ status: 'done', nextDueAt: null, firedCount: 1, lastOutcome: 'ok' });
    const conversations = await conversationsOf(ref.participantId);
    expect(conversations).toHaveLength(1);
    expect(conversations[0]?.chatbotId).toBe(ref.chatbotId);
    const attempts = await stub.scheduleAttempts(ref, created.schedule.id);
    expect(attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'ok', conversationId: conversations[0]?.id, error: null }),
    ]);

    // The bot's reply, written after the turn, says which schedule asked for it.
    const history = await conversationStub(env, conversations[0]?.id ?? '').history();
    const reply = history.data.find((message) => message.role === 'assistant');
    expect(reply?.metadata.event).toMatchObject({ type: 'schedule', id: created.schedule.id });

    // A redelivered alarm (alarms are at-least-once) and an eviction fire nothing again.
    await runDurableObjectAlarm(participantObject(ref));
    await evictDurableObject(participantObject(ref));
    await runInDurableObject(participantObject(ref), (instance) => (instance as ParticipantDO).alarm());
    expect(await stub.scheduleAttempts(ref, created.schedule.id)).toHaveLength(1);
    expect(await conversationsOf(ref.participantId)).toHaveLength(1);
  });

  it('retries a failing firing with backoff, logs it failed after 3 attempts, and moves the series on', async () => {
    const ref = await scheduleFixture();
    const stub = scheduleStub(env, ref);
    const start = Date.now() + 3_600_000;
    const daily = await stub.createSchedule(ref, {
      ...oneOff(ref.chatbotId, start),
      recurrence: { every: 1, unit: 'days', times: null, until: null },
    });
    if (!daily.ok) throw new Error('not created');
    await database(env.DB).update(chatbots).set({ archivedAt: Date.now() }).where(eq(chatbots.id, ref.chatbotId));
    await makeDueNow(ref);

    await runDurableObjectAlarm(participantObject(ref));
    let schedule = await stub.getSchedule(ref, daily.schedule.id);
    expect(schedule).toMatchObject({ status: 'active', attempts: 1, lastOutcome: 'retrying', nextDueAt: start });
    // The retry waits: an alarm now fires nothing.
    await runInDurableObject(participantObject(ref), (instance) => (instance as ParticipantDO).alarm());
    expect(await stub.scheduleAttempts(ref, daily.schedule.id)).toHaveLength(1);
    const wake = await runInDurableObject(participantObject(ref), (_i, state) =>
      state.storage.sql.exec<{ wake_at: number }>('SELECT wake_at FROM schedules').one(),
    );
    expect(wake.wake_at - (schedule?.lastAttemptAt ?? 0)).toBe(30_000);

    await makeDueNow(ref);
    await runDurableObjectAlarm(participantObject(ref));
    await makeDueNow(ref);
    await runDurableObjectAlarm(participantObject(ref));
    schedule = await stub.getSchedule(ref, daily.schedule.id);
    expect(schedule).toMatchObject({
      status: 'active',
      attempts: 0,
      failedCount: 1,
      firedCount: 0,
      lastOutcome: 'failed',
    });
    expect(schedule?.nextDueAt).toBe(start + 24 * 60 * 60 * 1000);
    const attempts = await stub.scheduleAttempts(ref, daily.schedule.id);
    expect(attempts?.map((a) => [a.attempt, a.outcome])).toEqual([
      [3, 'failed'],
      [2, 'retrying'],
      [1, 'retrying'],
    ]);
    expect(attempts?.[0]?.error).toContain('archived');
  });

  it('pauses, resumes past missed occurrences, moves and cancels; refuses the 101st live schedule', async () => {
    const ref = await scheduleFixture();
    const stub = scheduleStub(env, ref);
    const start = Date.now() + 60 * 60 * 1000;
    const hourly = await stub.createSchedule(ref, {
      ...oneOff(ref.chatbotId, start - 3 * 60 * 60 * 1000),
      recurrence: { every: 1, unit: 'hours', times: 10, until: null },
    });
    if (!hourly.ok) throw new Error('not created');
    const id = hourly.schedule.id;
    expect((await stub.changeSchedule(ref, id, { status: 'paused' })).ok).toBe(true);
    const resumed = await stub.changeSchedule(ref, id, { status: 'active' });
    // Occurrences passed while paused: resuming skips them instead of firing a burst.
    expect(resumed.ok && resumed.schedule.nextDueAt).toBe(start);
    const moved = await stub.changeSchedule(ref, id, { nextDueAt: start + 5000, prompt: 'New prompt' });
    expect(moved.ok && moved.schedule).toMatchObject({ nextDueAt: start + 5000, prompt: 'New prompt' });
    const cancelled = await stub.cancelSchedule(ref, id);
    expect(cancelled.ok && cancelled.schedule).toMatchObject({ status: 'cancelled', nextDueAt: null });
    const again = await stub.changeSchedule(ref, id, { status: 'active' });
    expect(again.ok).toBe(false);

    for (let i = 0; i < MAX_LIVE_SCHEDULES; i++) {
      const result = await stub.createSchedule(ref, oneOff(ref.chatbotId, start + i));
      expect(result.ok).toBe(true);
    }
    const refused = await stub.createSchedule(ref, oneOff(ref.chatbotId, start));
    expect(refused).toMatchObject({ ok: false, refusal: { code: 'limit_reached' } });
  });

  it('copies each change to D1 through the events queue, newest version winning', async () => {
    const ref = await scheduleFixture();
    const stub = scheduleStub(env, ref);
    const created = await stub.createSchedule(ref, oneOff(ref.chatbotId, Date.now() + 3_600_000));
    if (!created.ok) throw new Error('not created');
    await stub.changeSchedule(ref, created.schedule.id, { status: 'paused' });
    const row = () =>
      database(env.DB).query.scheduledMessages.findFirst({
        where: and(eq(scheduledMessages.id, created.schedule.id), eq(scheduledMessages.teamId, ref.teamId)),
      });
    await vi.waitFor(async () => expect(await row()).toMatchObject({ status: 'paused', version: 2 }), {
      timeout: 5000,
    });
    expect((await row())?.participantId).toBe(ref.participantId);
  });
});
