import { createExecutionContext, createMessageBatch, env, getQueueResult, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, insertConversation } from '../../test/api-fixtures.ts';
import { seedDemo } from '../../test/seed.ts';
import { conversationStub } from '../conversation/stub.ts';
import { teamDatabase } from '../db/shards.ts';
import { newId } from '../ids.ts';
import worker from '../index.ts';
import { participantStub } from '../participant-data/client.ts';
import type { QueueMessage } from '../queue/messages.ts';
import { markTeamDeleted } from './mark.ts';
import { OBJECTS_PER_PAGE } from './objects.ts';
import { deleteTeamStep, MIN_STEP_SUBREQUESTS, type TeamDeletionStep } from './steps.ts';

afterEach(() => vi.restoreAllMocks());

const HOUR = 3_600_000;

const conversationObject = (id: string) => env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(id));
const participantObject = (teamId: string, participantId: string) =>
  env.PARTICIPANTS.get(env.PARTICIPANTS.idFromName(`${teamId}:${participantId}`));

/** What an object keeps: its own tables (the runtime's `_cf_` ones aside) and its alarm. */
function storageOf(stub: DurableObjectStub) {
  return runInDurableObject(stub, async (_instance, state) => ({
    tables: state.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%'",
      )
      .toArray()
      .map((row) => row.name)
      .sort(),
    alarm: await state.storage.getAlarm(),
  }));
}

/** Storage and an alarm an hour away, as an object with work pending has them. */
function leaveWork(stub: DurableObjectStub) {
  return runInDurableObject(stub, async (_instance, state) => {
    state.storage.sql.exec('CREATE TABLE IF NOT EXISTS pending (v TEXT)');
    state.storage.sql.exec("INSERT INTO pending VALUES ('work')");
    await state.storage.setAlarm(Date.now() + HOUR);
  });
}

/** A team with a conversation object and a participant object, each holding storage and an alarm. */
async function teamWithObjects() {
  const demo = await seedDemo();
  const participantId = newId('ptc', Date.now());
  await env.DB.prepare(
    "INSERT INTO participants (id, team_id, platform, external_id, data, created_at, updated_at) VALUES (?1, ?2, 'api', ?1, '{}', 1, 1)",
  )
    .bind(participantId, demo.teamId)
    .run();
  const conversationId = await insertConversation(demo.teamId, demo.chatbotId, { participantId });
  // The participant's real storage (sealed data, mirror outbox), then an alarm that would fire later.
  const stored = await participantStub(env, { teamId: demo.teamId, participantId }).replaceData(
    { teamId: demo.teamId, participantId, chatbotId: demo.chatbotId },
    { plan: 'pro' },
  );
  expect(stored.ok).toBe(true);
  await leaveWork(participantObject(demo.teamId, participantId));
  await leaveWork(conversationObject(conversationId));
  return { ...demo, participantId, conversationId };
}

async function sweepUntilDone(teamId: string, budget?: number): Promise<TeamDeletionStep[]> {
  const steps: TeamDeletionStep[] = [];
  for (let i = 0; i < 50; i++) {
    const step = await deleteTeamStep(env, teamId, budget === undefined ? undefined : { left: budget });
    steps.push(step);
    if (step.done) return steps;
  }
  throw new Error('deletion did not finish in 50 steps');
}

describe('team deletion erases Durable Objects (worker/team-deletion/objects.ts)', () => {
  it('leaves no storage and no alarm in the team’s conversation and participant objects; another team’s are kept', async () => {
    const a = await teamWithObjects();
    const b = await teamWithObjects();
    const before = await storageOf(conversationObject(a.conversationId));
    expect(before.tables).toContain('pending');
    expect(before.alarm).not.toBeNull();
    const bConversation = await storageOf(conversationObject(b.conversationId));
    const bParticipant = await storageOf(participantObject(b.teamId, b.participantId));
    expect(bParticipant.tables.length).toBeGreaterThan(1);

    await markTeamDeleted(env, a.teamId, Date.now());
    await sweepUntilDone(a.teamId);

    expect(await storageOf(conversationObject(a.conversationId))).toEqual({ tables: [], alarm: null });
    expect(await storageOf(participantObject(a.teamId, a.participantId))).toEqual({ tables: [], alarm: null });
    // The object's own reads find nothing either, and keep nothing (an unstarted object writes no storage).
    expect(await conversationStub(env, a.conversationId).listMessages()).toEqual([]);
    expect(await storageOf(conversationObject(a.conversationId))).toEqual({ tables: [], alarm: null });
    // No route reaches the purged conversation: the team's key is revoked, and to another team it does not exist.
    expect((await api.get(a.apiKey, `/api/v1/conversations/${a.conversationId}`)).status).toBe(401);
    expect((await api.get(b.apiKey, `/api/v1/conversations/${a.conversationId}`)).status).toBe(404);

    expect(await storageOf(conversationObject(b.conversationId))).toEqual(bConversation);
    expect(await storageOf(participantObject(b.teamId, b.participantId))).toEqual(bParticipant);
    const bData = await participantStub(env, b).chatbotData({ ...b, chatbotId: b.chatbotId });
    expect(bData.data).toEqual({ plan: 'pro' });
  });

  it('erases in bounded pages that later steps continue, within each step’s budget', async () => {
    const a = await teamWithObjects();
    const count = OBJECTS_PER_PAGE * 2 + 7;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await insertConversation(a.teamId, a.chatbotId));
    await leaveWork(conversationObject(ids[count - 1] as string));
    await markTeamDeleted(env, a.teamId, Date.now());

    const budget = MIN_STEP_SUBREQUESTS + 10;
    const steps = await sweepUntilDone(a.teamId, budget);
    // 108 conversations cannot fit one step of 70 subrequests: it stops in the conversations and the next continues.
    expect(steps[0]).toMatchObject({ done: false, phase: 'conversations' });
    expect(steps.length).toBeGreaterThan(2);
    for (const step of steps) expect(step.subrequests).toBeLessThanOrEqual(budget);
    const left = await teamDatabase(env, a.teamId)
      .$client.prepare('SELECT COUNT(*) AS n FROM conversations WHERE team_id = ?')
      .bind(a.teamId)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
    expect(await storageOf(conversationObject(ids[count - 1] as string))).toEqual({ tables: [], alarm: null });
  });
});

describe('the queue consumer skips deleted teams (worker/queue/consumer.ts)', () => {
  it('a copy or event row delivered after the sweep creates no row and no archive object; another team’s in the same batch does', async () => {
    const a = await seedDemo();
    const b = await seedDemo();
    const upsert = (team: typeof a, secret: string): QueueMessage => {
      const createdAt = Date.now();
      return {
        type: 'message.upsert',
        conversationId: newId('conv', createdAt),
        teamId: team.teamId,
        chatbotId: team.chatbotId,
        start: { chatbotVersionId: '', participantId: null, channelId: null, createdAt },
        message: {
          id: newId('msg', createdAt),
          position: 0,
          role: 'user',
          content: secret,
          status: 'complete',
          turnId: 'turn_x',
          clientMessageId: null,
          error: null,
          providerId: null,
          model: null,
          usage: null,
          finishReason: null,
          metadata: {},
          createdAt,
          completedAt: createdAt,
        },
      } as QueueMessage;
    };
    const late = upsert(a, 'secret of the deleted team');
    const live = upsert(b, 'hello');
    for (const team of [a, b]) {
      const version = await env.DB.prepare('SELECT published_version_id AS v FROM chatbots WHERE id = ?')
        .bind(team.chatbotId)
        .first<{ v: string }>();
      for (const body of [late, live]) {
        if (body.type === 'message.upsert' && body.teamId === team.teamId && body.start) {
          body.start.chatbotVersionId = version?.v ?? '';
        }
      }
    }
    await markTeamDeleted(env, a.teamId, Date.now());
    await sweepUntilDone(a.teamId);

    const logged: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void logged.push(String(line)));
    if (late.type !== 'message.upsert' || live.type !== 'message.upsert') throw new Error('unreachable');
    // An event firing of the deleted team, queued before the sweep: its log row would re-create `event_log` rows
    // (in the sharded project; without shards `DB`'s foreign key to the deleted chatbot refuses the row anyway).
    const fired: QueueMessage = {
      type: 'events.fired',
      ref: { conversationId: late.conversationId, teamId: a.teamId, chatbotId: a.chatbotId, participantId: null },
      entries: [
        {
          id: newId('evl', Date.now()),
          triggerId: 'trg_x',
          triggerType: 'user_message',
          actionType: 'log',
          outcome: 'ok',
          error: null,
          detail: null,
          attempt: 1,
          firedAt: Date.now(),
        },
      ],
      tags: [],
      ended: false,
      webhooks: [],
    };
    const batch = createMessageBatch<QueueMessage>('parley-events', [
      { id: 'fired-0', timestamp: new Date(), attempts: 1, body: fired },
      { id: 'late-0', timestamp: new Date(), attempts: 1, body: late },
      { id: 'live-0', timestamp: new Date(), attempts: 1, body: live },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toEqual(expect.arrayContaining(['late-0', 'fired-0']));

    const row = (teamId: string, id: string) =>
      teamDatabase(env, teamId).$client.prepare('SELECT id FROM conversations WHERE id = ?').bind(id).first();
    const archived = async (teamId: string) => (await env.FILES.list({ prefix: `archive/${teamId}/` })).objects;
    expect(await row(a.teamId, late.conversationId)).toBeNull();
    const eventRows = await teamDatabase(env, a.teamId)
      .$client.prepare('SELECT COUNT(*) AS n FROM event_log WHERE team_id = ?')
      .bind(a.teamId)
      .first<{ n: number }>();
    expect(eventRows?.n).toBe(0);
    expect(await archived(a.teamId)).toHaveLength(0);
    expect(await row(b.teamId, live.conversationId)).not.toBeNull();
    expect(await archived(b.teamId)).toHaveLength(1);
    // Counted, with no body.
    const skipped = logged.filter((line) => line.includes('.skipped_deleted_team')).map((line) => JSON.parse(line));
    expect(skipped).toEqual([
      expect.objectContaining({ event: 'analytics.skipped_deleted_team', teamId: a.teamId, messages: 1 }),
      expect.objectContaining({ event: 'events.skipped_deleted_team', teamId: a.teamId, messages: 1 }),
    ]);
    expect(logged.join('\n')).not.toContain('secret of the deleted team');
  });
});
