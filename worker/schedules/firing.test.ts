import { env, runDurableObjectAlarm, runInDurableObject, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../test/channels/fixtures.ts';
import { addChatbot, authed, BASE, seedDemo } from '../../test/seed.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import { conversationStub } from '../conversation/stub.ts';
import { conversationMeta } from '../conversations/lookup.ts';
import { database } from '../db/client.ts';
import { chatbots, conversations } from '../db/schema/index.ts';
import { upsertParticipant } from '../participants/upsert.ts';
import { scheduleStub } from './client.ts';
import { makeDueNow, oneOff, participantObject } from './testing.ts';

/** A published chatbot on the offline provider, `delayMs` between tokens. */
function offlineChatbot(teamId: string, delayMs: number): Promise<string> {
  const credentialId = `cred_${crypto.randomUUID()}`;
  const definition = simpleDefinition({
    providerId: 'offline',
    credentialId,
    model: 'offline-echo',
    systemPrompt: 'Be brief.',
    parameters: {},
    tools: [],
    maxToolSteps: 1,
  });
  return addChatbot(teamId, definition, {
    id: credentialId,
    providerId: 'offline',
    settings: { delayMs },
    secrets: {},
  });
}

/** Issue 17's budgets for firing: never inside a running turn; a failing schedule never holds back the others. */
describe('firing schedules', { timeout: 30_000 }, () => {
  it('fires a schedule due during a running turn after that turn, not inside it', async () => {
    const demo = await seedDemo();
    const chatbotId = await offlineChatbot(demo.teamId, 20);
    const started = await SELF.fetch(
      `${BASE}/api/v1/conversations`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ chatbotId, participant: { id: 'mid-turn' } }) }),
    );
    const { id: conversationId, participantId } = (await started.json()) as { id: string; participantId: string };
    const ref = { teamId: demo.teamId, participantId };
    const row = await database(env.DB).query.conversations.findFirst({ where: eq(conversations.id, conversationId) });
    if (!row) throw new Error('conversation row missing');
    const conversation = conversationStub(env, conversationId);
    // The participant's long reply is streaming (detached, as a channel's inbound message runs)…
    await conversation.fetch('https://conversation/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        meta: conversationMeta(row),
        text: 'tell me a long story about durable objects, their alarms and their storage',
        stream: false,
        detach: true,
      }),
    });
    const history = async () => (await conversation.history()).data.filter((m) => m.role === 'assistant');
    await eventually(async () => ((await history()).some((m) => m.status === 'streaming') ? true : undefined));

    // …when a schedule of theirs with this chatbot comes due.
    const created = await scheduleStub(env, ref).createSchedule(ref, oneOff(chatbotId, Date.now() + 3_600_000));
    if (!created.ok) throw new Error(created.refusal.message);
    await makeDueNow(ref);
    expect(await runDurableObjectAlarm(participantObject(ref))).toBe(true);

    const [story, reminder] = await history();
    expect(story?.status).toBe('complete');
    expect(reminder?.metadata.event).toEqual({ type: 'schedule', id: created.schedule.id });
    expect(reminder?.position).toBeGreaterThan(story?.position ?? Number.POSITIVE_INFINITY);
    expect(reminder?.createdAt).toBeGreaterThanOrEqual(story?.completedAt ?? Number.POSITIVE_INFINITY);
    const attempts = await scheduleStub(env, ref).scheduleAttempts(ref, created.schedule.id);
    expect(attempts).toEqual([expect.objectContaining({ outcome: 'ok', conversationId })]);
  });

  it('a failing schedule is retried with backoff and logged, and never holds back the others', async () => {
    const demo = await seedDemo();
    const { row } = await upsertParticipant(
      database(env.DB),
      { teamId: demo.teamId, platform: 'api', externalId: 'failing' },
      {},
    );
    const ref = { teamId: demo.teamId, participantId: row.id };
    const stub = scheduleStub(env, ref);
    const broken = await offlineChatbot(demo.teamId, 0);
    const due = Date.now() + 3_600_000;
    // More failing schedules than firings in flight at once (6), all due before the good one.
    const failing: string[] = [];
    for (let i = 0; i < 8; i++) {
      const created = await stub.createSchedule(ref, oneOff(broken, due + i, `Broken ${i}`));
      if (!created.ok) throw new Error(created.refusal.message);
      failing.push(created.schedule.id);
    }
    const good = await stub.createSchedule(ref, oneOff(demo.chatbotId, due + 100, 'Works'));
    if (!good.ok) throw new Error(good.refusal.message);
    await database(env.DB).update(chatbots).set({ archivedAt: Date.now() }).where(eq(chatbots.id, broken));
    await makeDueNow(ref);

    await runDurableObjectAlarm(participantObject(ref));
    expect(await stub.getSchedule(ref, good.schedule.id)).toMatchObject({ status: 'done', lastOutcome: 'ok' });
    for (const id of failing) {
      const schedule = await stub.getSchedule(ref, id);
      expect(schedule).toMatchObject({ status: 'active', attempts: 1, lastOutcome: 'retrying' });
      const [attempt] = (await stub.scheduleAttempts(ref, id)) ?? [];
      expect(attempt).toMatchObject({ attempt: 1, outcome: 'retrying' });
      expect(attempt?.error).toContain('archived');
    }
    // Backoff: each failing one waits 30 s from its attempt, and the object's alarm is armed for the first of them.
    const waits = await runInDurableObject(participantObject(ref), async (_instance, state) => ({
      rows: state.storage.sql
        .exec<{ id: string; wake_at: number }>('SELECT id, wake_at FROM schedules WHERE wake_at IS NOT NULL')
        .toArray(),
      alarm: await state.storage.getAlarm(),
    }));
    expect(waits.rows.map((r) => r.id).sort()).toEqual([...failing].sort());
    for (const wait of waits.rows) {
      const [attempt] = (await stub.scheduleAttempts(ref, wait.id)) ?? [];
      expect(wait.wake_at - (attempt?.at ?? 0)).toBe(30_000);
    }
    expect(waits.alarm).toBe(Math.min(...waits.rows.map((r) => r.wake_at)));
  });
});
