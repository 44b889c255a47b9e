import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import { BASE, seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { chatbots, conversations, messages } from '../db/schema/index.ts';
import { shardRouter, shardSlot } from '../db/shards.ts';
import type { Env } from '../env.ts';
import { app } from '../index.ts';

const TOKEN = 'ops-token-for-tests-0123456789';
const opsEnv: Env = { ...(env as Env), OPS_TOKEN: TOKEN };

/** A request to the Worker with OPS_TOKEN set (the test config sets none, so SELF has no operator API). */
async function ops(path: string, init: RequestInit = {}, token: string | null = TOKEN): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  if (init.body) headers.set('content-type', 'application/json');
  const ctx = createExecutionContext();
  const res = await app.request(`${BASE}${path}`, { ...init, headers }, opsEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** 3 conversations of 3 messages each (90 bound parameters: under D1's 100), in DB as before shards were bound. */
async function legacyRows(teamId: string, chatbotId: string, into: D1Database = env.DB): Promise<void> {
  const chatbot = await database(env.DB).query.chatbots.findFirst({ where: eq(chatbots.id, chatbotId) });
  const db = database(into);
  const ids = [1, 2, 3].map((i) => `conv_legacy_${i}_${teamId}`);
  await db.insert(conversations).values(
    ids.map((id, i) => ({
      id,
      teamId,
      chatbotId,
      chatbotVersionId: chatbot?.publishedVersionId ?? '',
      messageCount: 3,
      createdAt: 1_000 + i,
      updatedAt: 1_000 + i,
    })),
  );
  await db.insert(messages).values(
    ids.flatMap((conversationId) =>
      [1, 2, 3].map((position) => ({
        conversationId,
        id: `msg_${position}`,
        teamId,
        chatbotId,
        position,
        role: 'user' as const,
        content: 'legacy',
        status: 'complete' as const,
        metadata: {},
        createdAt: 1_000,
      })),
    ),
  );
}

const count = async (db: D1Database, table: string, teamId: string) =>
  Number(
    (await db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE team_id = ?`).bind(teamId).first<{ n: number }>())?.n,
  );

describe('the operator API (worker/ops/)', () => {
  it('does not exist without OPS_TOKEN, and wants exactly that token', async () => {
    const demo = await seedDemo();
    // SELF runs with the test config, which sets no OPS_TOKEN: 404, as for any unknown path.
    const absent = await SELF.fetch(`${BASE}/api/v1/ops/teams`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(absent.status).toBe(404);
    expect((await ops('/api/v1/ops/teams', {}, null)).status).toBe(401);
    expect((await ops('/api/v1/ops/teams', {}, `${TOKEN}x`)).status).toBe(401);
    // A team's admin key is no operator.
    expect((await ops('/api/v1/ops/teams', {}, demo.apiKey)).status).toBe(401);
    expect((await ops(`/api/v1/ops/teams/${demo.teamId}/move`, { method: 'POST' }, demo.apiKey)).status).toBe(401);
  });

  it('lists teams with their slot and shard, a page at a time', async () => {
    const a = await seedDemo();
    const b = await seedDemo();
    const seen = new Map<string, { slot: number; shard: string }>();
    let cursor: string | null = null;
    do {
      const res = await ops(`/api/v1/ops/teams?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as {
        data: { id: string; slot: number; shard: string }[];
        nextCursor: string | null;
      };
      expect(page.data.length).toBeLessThanOrEqual(1);
      for (const team of page.data) seen.set(team.id, team);
      cursor = page.nextCursor;
    } while (cursor);
    const router = shardRouter(env);
    for (const team of [a, b]) {
      expect(seen.get(team.teamId)).toEqual({
        ...seen.get(team.teamId),
        slot: shardSlot(team.teamId),
        shard: router.shardName(team.teamId),
      });
    }
    expect(new Set([a, b].map((team) => seen.get(team.teamId)?.shard))).toEqual(
      new Set(['DB_SHARD_00', 'DB_SHARD_01']),
    );
  });

  it('moves a team in bounded steps until verified, then deletes its legacy rows from DB only', async () => {
    const a = await seedDemo();
    const b = await seedDemo();
    await legacyRows(a.teamId, a.chatbotId);
    await legacyRows(b.teamId, b.chatbotId);
    const shard = shardRouter(env).forTeam(a.teamId);

    // Before the move: deleting the legacy rows is refused (the shard does not hold them yet).
    const early = await ops(`/api/v1/ops/teams/${a.teamId}/legacy-rows/delete`, { method: 'POST' });
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ error: { code: 'move_not_verified' } });
    const badCursor = await ops(`/api/v1/ops/teams/${a.teamId}/move`, {
      method: 'POST',
      body: JSON.stringify({ cursor: 'teams:1' }),
    });
    expect(badCursor.status).toBe(400);

    const steps: { done: boolean; verified: boolean; next: string | null }[] = [];
    let next: string | null = null;
    for (let i = 0; i < 20; i++) {
      const res = await ops(`/api/v1/ops/teams/${a.teamId}/move`, {
        method: 'POST',
        body: JSON.stringify({ budgetRows: 5, cursor: next }),
      });
      expect(res.status).toBe(200);
      const step = (await res.json()) as { done: boolean; verified: boolean; next: string | null };
      steps.push(step);
      next = step.next;
      if (step.done) break;
    }
    // 12 rows, 5 a step: 3 steps, each continuing where the last stopped.
    expect(steps.length).toBe(3);
    expect(steps.slice(0, -1).every((step) => !step.done && step.next)).toBe(true);
    expect(steps.at(-1)).toMatchObject({ done: true, verified: true, next: null });
    expect(await count(shard, 'messages', a.teamId)).toBe(9);
    const listed = (await (await api.get(a.apiKey, '/api/v1/conversations')).json()) as { data: unknown[] };
    expect(listed.data).toHaveLength(3);

    const dropped = await ops(`/api/v1/ops/teams/${a.teamId}/legacy-rows/delete`, { method: 'POST' });
    expect(dropped.status).toBe(200);
    expect(await dropped.json()).toMatchObject({ done: true, deleted: { messages: 9, conversations: 3 } });
    expect(await count(env.DB, 'messages', a.teamId)).toBe(0);
    expect(await count(env.DB, 'conversations', a.teamId)).toBe(0);
    // The shard keeps them, and team B's legacy rows in DB are untouched.
    expect(await count(shard, 'messages', a.teamId)).toBe(9);
    expect(await count(env.DB, 'messages', b.teamId)).toBe(9);
    expect((await ops('/api/v1/ops/teams/team_unknown/move', { method: 'POST' })).status).toBe(404);
  });

  it('archives and blanks bodies written before migration 0016 in bounded steps, then says done', async () => {
    const a = await seedDemo();
    const b = await seedDemo();
    const shardA = shardRouter(env).forTeam(a.teamId);
    const shardB = shardRouter(env).forTeam(b.teamId);
    // Rows as the consumer wrote them before 0016: the body in D1, no content_bytes.
    await legacyRows(a.teamId, a.chatbotId, shardA);
    await legacyRows(b.teamId, b.chatbotId, shardB);
    const bodies = async (db: D1Database, teamId: string) =>
      Number(
        (
          await db
            .prepare('SELECT COUNT(*) AS n FROM messages WHERE team_id = ? AND content_bytes IS NULL')
            .bind(teamId)
            .first<{ n: number }>()
        )?.n,
      );
    expect(await bodies(shardA, a.teamId)).toBe(9);

    const blank = async () => {
      const res = await ops(`/api/v1/ops/teams/${a.teamId}/bodies/blank`, {
        method: 'POST',
        body: JSON.stringify({ budgetRows: 5 }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { blanked: number; done: boolean };
    };
    expect(await blank()).toMatchObject({ blanked: 5, done: false });
    expect(await blank()).toMatchObject({ blanked: 4, done: true });
    expect(await blank()).toMatchObject({ blanked: 0, done: true });
    expect(await bodies(shardA, a.teamId)).toBe(0);
    const row = await shardA
      .prepare('SELECT content, content_bytes FROM messages WHERE team_id = ? LIMIT 1')
      .bind(a.teamId)
      .first<{ content: string; content_bytes: number }>();
    expect(row).toEqual({ content: '', content_bytes: 'legacy'.length });
    // The bodies went to the team's archive first; team B's rows keep theirs.
    const archived = await env.FILES.list({ prefix: `archive/${a.teamId}/` });
    expect(archived.objects.length).toBeGreaterThan(0);
    const lines = (await Promise.all(archived.objects.map(async (o) => (await env.FILES.get(o.key))?.text() ?? '')))
      .join('')
      .trim()
      .split('\n');
    expect(lines.filter((line) => JSON.parse(line).content === 'legacy')).toHaveLength(9);
    expect(await bodies(shardB, b.teamId)).toBe(9);
    const bad = await ops(`/api/v1/ops/teams/${a.teamId}/bodies/blank`, {
      method: 'POST',
      body: JSON.stringify({ budgetRows: 0 }),
    });
    expect(bad.status).toBe(400);
  });
});
