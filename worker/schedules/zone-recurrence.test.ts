import { env, runDurableObjectAlarm, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { authed, BASE, seedDemo } from '../../test/seed.ts';
import { scheduleStub } from './client.ts';
import { makeDueNow, participantObject } from './testing.ts';

/**
 * Issue 17 §3 "recurring (every N months, N times or until a date, in the participant's time zone)" through the API
 * and the participant's object: no `timeZone` given, so the schedule takes the participant's (New York); monthly at
 * 09:00 local across the change to daylight time (14 March 2027), until the 15 April occurrence inclusive.
 */
describe('a monthly schedule in the participant’s time zone', { timeout: 40_000 }, () => {
  it('keeps 09:00 local across DST, fires each month once, and ends at its until date', async () => {
    const demo = await seedDemo();
    const put = await SELF.fetch(
      `${BASE}/api/v1/participants/api/zone-${crypto.randomUUID()}`,
      authed(demo.apiKey, { method: 'PUT', body: JSON.stringify({}) }),
    );
    const { id: participantId } = (await put.json()) as { id: string };
    const data = await SELF.fetch(
      `${BASE}/api/v1/participants/${participantId}/data/${demo.chatbotId}`,
      authed(demo.apiKey, { method: 'PUT', body: JSON.stringify({ timezone: 'America/New_York' }) }),
    );
    expect(data.status).toBeLessThan(300);
    const created = await SELF.fetch(
      `${BASE}/api/v1/participants/${participantId}/schedules`,
      authed(demo.apiKey, {
        method: 'POST',
        body: JSON.stringify({
          chatbotId: demo.chatbotId,
          prompt: 'Ask whether the rent was paid',
          at: '2027-02-15T14:00:00.000Z', // 09:00 EST
          repeat: { every: 1, unit: 'months', until: '2027-04-15T13:00:00.000Z' }, // 09:00 EDT, inclusive
        }),
      }),
    );
    expect(created.status).toBe(201);
    const schedule = (await created.json()) as { id: string; timeZone: string; nextDueAt: string };
    expect(schedule).toMatchObject({ timeZone: 'America/New_York', nextDueAt: '2027-02-15T14:00:00.000Z' });

    const ref = { teamId: demo.teamId, participantId };
    const stub = scheduleStub(env, ref);
    const fire = async () => {
      await makeDueNow(ref);
      await runDurableObjectAlarm(participantObject(ref));
      return stub.getSchedule(ref, schedule.id);
    };
    // 15 March is after the change: 09:00 EDT is 13:00Z, an hour earlier in UTC than February's.
    expect(await fire()).toMatchObject({
      status: 'active',
      firedCount: 1,
      nextDueAt: Date.parse('2027-03-15T13:00:00Z'),
    });
    expect(await fire()).toMatchObject({
      status: 'active',
      firedCount: 2,
      nextDueAt: Date.parse('2027-04-15T13:00:00Z'),
    });
    // The until instant is the third occurrence itself: it fires, and the series ends (no 15 May).
    expect(await fire()).toMatchObject({ status: 'done', firedCount: 3, nextDueAt: null });
    const attempts = await stub.scheduleAttempts(ref, schedule.id);
    expect(attempts?.map((attempt) => attempt.outcome)).toEqual(['ok', 'ok', 'ok']);
  });
});
