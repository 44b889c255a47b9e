import { SELF } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { authed, BASE, seedDemo } from '../../test/seed.ts';
import { MAX_PROMPT_CHARS } from './limits.ts';
import { scheduleFixture } from './testing.ts';

const call = (apiKey: string, path: string, init: RequestInit = {}) =>
  SELF.fetch(`${BASE}${path}`, authed(apiKey, init));
const post = (apiKey: string, path: string, body: unknown) =>
  call(apiKey, path, { method: 'POST', body: JSON.stringify(body) });
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe('schedule routes', () => {
  it('creates, lists, pauses, reads attempts of and cancels a participant’s schedule', async () => {
    const fx = await scheduleFixture();
    const base = `/api/v1/participants/${fx.participantId}/schedules`;
    const created = await post(fx.apiKey, base, {
      chatbotId: fx.chatbotId,
      prompt: 'Ask how the week went',
      at: inAnHour(),
      timeZone: 'America/New_York',
      repeat: { every: 1, unit: 'weeks', times: 4 },
    });
    expect(created.status).toBe(201);
    const schedule = (await created.json()) as { id: string; status: string; repeat: unknown };
    expect(schedule).toMatchObject({
      status: 'active',
      origin: 'api',
      timeZone: 'America/New_York',
      repeat: { every: 1, unit: 'weeks', times: 4, until: null },
    });

    const list = (await (await call(fx.apiKey, base)).json()) as { data: { id: string }[] };
    expect(list.data.map((s) => s.id)).toEqual([schedule.id]);

    const paused = await call(fx.apiKey, `${base}/${schedule.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'paused', prompt: 'Ask how the month went' }),
    });
    expect(await paused.json()).toMatchObject({ status: 'paused', prompt: 'Ask how the month went' });

    const attempts = await call(fx.apiKey, `${base}/${schedule.id}/attempts`);
    expect(await attempts.json()).toEqual({ data: [] });

    const cancelled = await call(fx.apiKey, `${base}/${schedule.id}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(204);
    const listed = (await (await call(fx.apiKey, base)).json()) as { data: { id: string }[] };
    expect(listed.data.find((row) => row.id === schedule.id)).toMatchObject({ status: 'cancelled', nextDueAt: null });
    const resumed = await call(fx.apiKey, `${base}/${schedule.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'active' }),
    });
    expect(resumed.status).toBe(400);

    // The team list reads the D1 copy, which follows through the queue.
    await vi.waitFor(
      async () => {
        const team = (await (await call(fx.apiKey, '/api/v1/schedules?status=cancelled')).json()) as {
          data: { id: string; participantId: string }[];
        };
        expect(team.data).toEqual([expect.objectContaining({ id: schedule.id, participantId: fx.participantId })]);
      },
      { timeout: 5000 },
    );
  });

  it('refuses bad input with a 400 naming the field, and other teams’ participants with a 404', async () => {
    const fx = await scheduleFixture();
    const base = `/api/v1/participants/${fx.participantId}/schedules`;
    const good = { chatbotId: fx.chatbotId, prompt: 'Hello', at: inAnHour() };
    const field = async (body: unknown) => {
      const res = await post(fx.apiKey, base, body);
      expect(res.status).toBe(400);
      const error = (await res.json()) as { error: { details: { field: string }[] } };
      return error.error.details.map((d) => d.field);
    };
    expect(await field({ ...good, timeZone: 'Mars/Olympus' })).toContain('body.timeZone');
    expect(await field({ ...good, prompt: 'x'.repeat(MAX_PROMPT_CHARS + 1) })).toContain('body.prompt');
    expect(await field({ ...good, at: new Date(Date.now() - 3_600_000).toISOString() })).toContain('body.at');
    expect(await field({ ...good, repeat: { every: 0, unit: 'days' } })).toContain('body.repeat.every');
    expect(
      await field({ ...good, repeat: { every: 1, unit: 'days', until: new Date(Date.now()).toISOString() } }),
    ).toContain('body.repeat.until');

    const other = await seedDemo();
    expect((await post(other.apiKey, base, { ...good, chatbotId: other.chatbotId })).status).toBe(404);
    expect((await post(fx.apiKey, base, { ...good, chatbotId: other.chatbotId })).status).toBe(404);
    expect((await call(fx.apiKey, `${base}/sch_missing/attempts`)).status).toBe(404);
    const team = (await (await call(other.apiKey, '/api/v1/schedules')).json()) as { data: unknown[] };
    expect(team.data).toEqual([]);
  });
});
