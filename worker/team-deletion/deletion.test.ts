import { env, SELF } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { api, insertChannel, insertConversation } from '../../test/api-fixtures.ts';
import { BASE, seedDemo } from '../../test/seed.ts';
import { signIn, withSession } from '../auth/testing.ts';
import { database } from '../db/client.ts';
import { eventLog, messages } from '../db/schema/index.ts';
import { DATA_PLANE_TABLES } from '../db/shard-move.ts';
import { teamDatabase } from '../db/shards.ts';
import type { Env } from '../env.ts';
import { openSession, postSession, widgetFetch } from '../widget/testing.ts';
import { CONTROL_PLANE_TABLES, teamBlobPrefixes } from './control-plane-tables.ts';
import { markTeamDeleted } from './mark.ts';
import { deleteTeamStep, MIN_STEP_SUBREQUESTS } from './steps.ts';
import { continueTeamDeletions } from './sweep.ts';

/** Every table of DB with a `team_id` column, read from the database itself. */
async function teamTables(): Promise<string[]> {
  const { results } = await env.DB.prepare(
    `SELECT m.name AS name FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
       AND m.name NOT LIKE '_cf_%' AND m.name NOT LIKE 'd1_%'
       AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'team_id')`,
  ).all<{ name: string }>();
  return results.map((row) => row.name).sort();
}

/** The team's rows per table that has any, in DB and its shard, plus its objects in R2 and its team row. */
async function leftOf(teamId: string): Promise<Record<string, number>> {
  const left: Record<string, number> = {};
  for (const table of await teamTables()) {
    for (const [where, db] of [
      ['DB', env.DB],
      ['shard', teamDatabase(env, teamId).$client],
    ] as const) {
      const row = await db
        .prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE team_id = ?`)
        .bind(teamId)
        .first<{ n: number }>();
      if (row && row.n > 0) left[`${where}.${table}`] = row.n;
    }
  }
  for (const prefix of teamBlobPrefixes(teamId)) {
    const listed = await env.FILES.list({ prefix });
    if (listed.objects.length > 0) left[prefix] = listed.objects.length;
  }
  const team = await env.DB.prepare('SELECT 1 AS n FROM teams WHERE id = ?').bind(teamId).first();
  if (team) left.team = 1;
  return left;
}

/** A team with something in every place deletion must empty: conversations, copies, log, a channel, files. */
async function populatedTeam() {
  const demo = await seedDemo();
  const conversationId = await insertConversation(demo.teamId, demo.chatbotId);
  const shard = teamDatabase(env, demo.teamId);
  await shard.insert(messages).values({
    conversationId,
    id: `msg_${conversationId}`,
    teamId: demo.teamId,
    chatbotId: demo.chatbotId,
    position: 1,
    role: 'user',
    content: 'to be deleted',
    status: 'complete',
    metadata: {},
    createdAt: Date.now(),
  });
  await shard.insert(eventLog).values({
    id: `evl_${conversationId}`,
    teamId: demo.teamId,
    chatbotId: demo.chatbotId,
    conversationId,
    triggerId: 'trg_x',
    triggerType: 'user_message',
    actionType: 'log',
    outcome: 'ok',
    attempt: 1,
    firedAt: Date.now(),
  });
  const channelId = await insertChannel(demo.teamId, demo.chatbotId);
  for (const prefix of teamBlobPrefixes(demo.teamId)) await env.FILES.put(`${prefix}2026-01-01/object`, 'bytes');
  return { ...demo, conversationId, channelId };
}

describe('deleting a team (worker/team-deletion/)', () => {
  it('knows every table with a team_id column (a new one must be added to a list)', async () => {
    const known = [...CONTROL_PLANE_TABLES, ...DATA_PLANE_TABLES].sort();
    expect(await teamTables()).toEqual(known);
  });

  it('is its signed-in owner’s, with the team’s name typed; then nothing of it is left and another team is untouched', async () => {
    const a = await populatedTeam();
    const b = await populatedTeam();
    const bBefore = await leftOf(b.teamId);
    const owner = await signIn(a.ownerEmail, a.ownerPassword);
    const remove = (confirm: unknown, init: (i: RequestInit) => RequestInit = (i) => withSession(owner, i)) =>
      SELF.fetch(`${BASE}/api/v1/team`, init({ method: 'DELETE', body: JSON.stringify({ confirm }) }));

    const wrong = await remove('Demo');
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: 'confirmation_mismatch' } });
    // An admin API key holds every scope but is not a person: refused.
    const byKey = await api.send(a.apiKey, 'DELETE', '/api/v1/team', { confirm: 'Demo team' });
    expect(byKey.status).toBe(403);
    // Without the CSRF token, as a cross-site form would send it.
    const noCsrf = await remove('Demo team', (i) => {
      const init = withSession(owner, i);
      (init.headers as Headers).delete('x-csrf-token');
      return init;
    });
    expect(noCsrf.status).toBe(403);
    expect(await leftOf(a.teamId)).toMatchObject({ team: 1 });

    const deleted = await remove('Demo team');
    expect(deleted.status).toBe(204);
    // The route's own first step (after the response) and the cron sweep finish it.
    await vi.waitFor(
      async () => {
        await continueTeamDeletions(env);
        expect(await leftOf(a.teamId)).toEqual({});
      },
      { timeout: 10_000, interval: 200 },
    );
    // No route answers with the team's data: its key, its widget key, the owner's session, its channel's webhook.
    expect((await api.get(a.apiKey, '/api/v1/conversations')).status).toBe(401);
    expect((await api.get(a.apiKey, `/api/v1/conversations/${a.conversationId}`)).status).toBe(401);
    expect((await postSession({ widgetKey: a.widgetKey })).status).toBe(401);
    expect((await SELF.fetch(`${BASE}/api/v1/chatbots`, withSession(owner))).status).toBe(403);
    expect((await SELF.fetch(`${BASE}/webhooks/telegram/${a.channelId}`, { method: 'POST', body: '{}' })).status).toBe(
      404,
    );
    // Team B: every row and object as before, and its API still answers with its data.
    expect(await leftOf(b.teamId)).toEqual(bBefore);
    const listed = (await (await api.get(b.apiKey, '/api/v1/conversations')).json()) as { data: { id: string }[] };
    expect(listed.data.map((row) => row.id)).toEqual([b.conversationId]);
  });

  it('shuts every way in at once, before any data is deleted', async () => {
    const a = await populatedTeam();
    const owner = await signIn(a.ownerEmail, a.ownerPassword);
    const widget = await openSession({ widgetKey: a.widgetKey });
    const messagesPath = `/conversations/${widget.conversationId}/messages`;
    expect((await widgetFetch(messagesPath, widget.token)).status).toBe(200);

    await markTeamDeleted(env, a.teamId, Date.now());
    expect((await api.get(a.apiKey, '/api/v1/conversations')).status).toBe(401);
    expect((await widgetFetch(messagesPath, widget.token)).status).toBe(401);
    expect((await postSession({ widgetKey: a.widgetKey })).status).toBe(401);
    expect((await SELF.fetch(`${BASE}/api/v1/chatbots`, withSession(owner))).status).toBe(403);
    const channel = await database(env.DB).query.channels.findFirst({
      where: (channels, { eq }) => eq(channels.id, a.channelId),
    });
    expect(channel?.enabled).toBe(false);
    // Nothing else is gone yet: the steps do that.
    expect(await leftOf(a.teamId)).toMatchObject({ team: 1, 'DB.chatbots': 1, 'shard.conversations': 1 });
  });

  it('runs in bounded steps, refuses an unmarked team, and a re-run after a failure finishes', async () => {
    const a = await populatedTeam();
    await expect(deleteTeamStep(env, a.teamId)).rejects.toThrow(/not marked deleted/);
    await markTeamDeleted(env, a.teamId, Date.now());
    // 65,000 message copies: more 1,000-row pages than the smallest step's budget holds.
    await teamDatabase(env, a.teamId)
      .$client.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 65000)
         INSERT INTO messages (conversation_id, id, team_id, chatbot_id, position, role, content, status, metadata, created_at)
         SELECT ?1, 'msg_bulk_' || i, ?2, ?3, i + 1, 'user', 'x', 'complete', '{}', 1 FROM n`,
      )
      .bind(a.conversationId, a.teamId, a.chatbotId)
      .run();

    // Too small a budget does nothing (it could not get past the empty tables); the smallest useful one stops in
    // the data plane and says so.
    expect(await deleteTeamStep(env, a.teamId, { left: MIN_STEP_SUBREQUESTS - 1 })).toMatchObject({
      done: false,
      subrequests: 0,
    });
    const first = await deleteTeamStep(env, a.teamId, { left: MIN_STEP_SUBREQUESTS });
    expect(first).toMatchObject({ done: false, phase: 'data-plane', subrequests: MIN_STEP_SUBREQUESTS });
    expect((await leftOf(a.teamId))['shard.messages']).toBeGreaterThan(0);

    // R2 fails half-way: the step throws after the data plane is gone, and nothing is half-recorded.
    const failing: Env = {
      ...env,
      FILES: new Proxy(env.FILES, {
        get: (bucket, name) =>
          name === 'delete'
            ? () => Promise.reject(new Error('R2 unavailable'))
            : (bucket[name as keyof R2Bucket] as (...args: unknown[]) => unknown).bind(bucket),
      }),
    };
    await expect(deleteTeamStep(failing, a.teamId)).rejects.toThrow(/R2 unavailable/);
    const afterFailure = await leftOf(a.teamId);
    expect(afterFailure['shard.messages']).toBeUndefined();
    expect(afterFailure).toMatchObject({ team: 1, 'DB.chatbots': 1, [`teams/${a.teamId}/`]: 1 });

    // The re-run (the next cron sweep) finishes.
    expect(await deleteTeamStep(env, a.teamId)).toMatchObject({ done: true, phase: null });
    expect(await leftOf(a.teamId)).toEqual({});
    // Done is done: another step (a duplicated cron invocation) finds nothing.
    expect(await deleteTeamStep(env, a.teamId)).toMatchObject({ done: true, subrequests: 1 });
  });
});
