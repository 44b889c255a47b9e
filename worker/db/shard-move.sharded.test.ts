import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import { seedDemo } from '../../test/seed.ts';
import { database } from './client.ts';
import { chatbots, conversationComments, conversations, conversationTags, eventLog, messages } from './schema/index.ts';
import { DATA_PLANE_TABLES, moveTeamToShard } from './shard-move.ts';
import { purgeTeamDataPlane } from './shard-purge.ts';
import { shardRouter, teamDatabase } from './shards.ts';

/** A team's data plane as it sat in DB before shards were bound: 3 conversations, 6 messages, tags, a comment, a log row. */
async function legacyRows(teamId: string, chatbotId: string) {
  const db = database(env.DB);
  const chatbot = await db.query.chatbots.findFirst({ where: eq(chatbots.id, chatbotId) });
  const ids = ['conv_legacy_1', 'conv_legacy_2', 'conv_legacy_3'].map((id) => `${id}_${teamId}`);
  const base = { teamId, chatbotId, chatbotVersionId: chatbot?.publishedVersionId ?? '' };
  await db
    .insert(conversations)
    .values(ids.map((id, i) => ({ ...base, id, messageCount: 2, createdAt: 1_000 + i, updatedAt: 1_000 + i })));
  await db.insert(messages).values(
    ids.flatMap((conversationId, i) =>
      [1, 2].map((position) => ({
        conversationId,
        id: `msg_${i}_${position}`,
        teamId,
        chatbotId,
        position,
        role: position === 1 ? ('user' as const) : ('assistant' as const),
        content: `legacy ${i} ${position}`,
        status: 'complete' as const,
        metadata: {},
        createdAt: 1_000 + i,
      })),
    ),
  );
  await db.insert(conversationTags).values({ teamId, conversationId: ids[0] as string, tag: 'legacy', createdAt: 1 });
  await db.insert(conversationComments).values({
    id: `cmt_legacy_${teamId}`,
    teamId,
    conversationId: ids[0] as string,
    authorType: 'user',
    authorId: 'usr_x',
    authorLabel: 'Reviewer',
    body: 'kept',
    createdAt: 1,
  });
  await db.insert(eventLog).values({
    id: `evt_legacy_${teamId}`,
    teamId,
    chatbotId,
    conversationId: ids[0] as string,
    triggerId: 'trg_x',
    triggerType: 'message_received',
    actionType: 'log',
    outcome: 'ok',
    attempt: 1,
    firedAt: 1,
  });
  return ids;
}

describe('moving a team’s data plane from DB to its shard (worker/db/shard-move.ts)', () => {
  it('copies every row, verifies the counts, keeps the shard’s newer rows, and a second run changes nothing', async () => {
    const demo = await seedDemo();
    const ids = await legacyRows(demo.teamId, demo.chatbotId);
    // Before the move the shard is where the API reads: the legacy rows are invisible.
    const before = (await (await api.get(demo.apiKey, '/api/v1/conversations')).json()) as { data: unknown[] };
    expect(before.data).toEqual([]);
    // A copy the consumer already wrote to the shard after shards were bound: newer, it must survive the move.
    await teamDatabase(env, demo.teamId)
      .insert(conversations)
      .values({
        id: ids[0] as string,
        teamId: demo.teamId,
        chatbotId: demo.chatbotId,
        chatbotVersionId: 'ver_newer',
        status: 'ended',
        createdAt: 1_000,
        updatedAt: 9_000,
      });

    const move = await moveTeamToShard(env, demo.teamId);
    expect(move).toMatchObject({ done: true, verified: true });
    expect(move.shard).toMatch(/^DB_SHARD_0[01]$/);
    expect(move.tables).toEqual({
      conversations: { source: 3, target: 3, copied: 3 },
      messages: { source: 6, target: 6, copied: 6 },
      conversation_tags: { source: 1, target: 1, copied: 1 },
      message_tags: { source: 0, target: 0, copied: 0 },
      conversation_comments: { source: 1, target: 1, copied: 1 },
      event_log: { source: 1, target: 1, copied: 1 },
    });
    const shard = teamDatabase(env, demo.teamId);
    const kept = await shard.query.conversations.findFirst({ where: eq(conversations.id, ids[0] as string) });
    expect(kept).toMatchObject({ status: 'ended', chatbotVersionId: 'ver_newer', messageCount: 2 });

    // The API now reads them from the shard: the list (with the tag), the comment and the event log.
    const after = (await (await api.get(demo.apiKey, '/api/v1/conversations?status=active')).json()) as {
      data: { id: string; messageCount: number }[];
    };
    expect(after.data.map((row) => [row.id, row.messageCount])).toEqual([
      [ids[2], 2],
      [ids[1], 2],
    ]);
    const tagged = (await (await api.get(demo.apiKey, '/api/v1/conversations?tag=legacy')).json()) as {
      data: { id: string }[];
    };
    expect(tagged.data.map((row) => row.id)).toEqual([ids[0]]);

    const again = await moveTeamToShard(env, demo.teamId);
    expect(again.verified).toBe(true);
    expect(Object.values(again.tables).map((table) => table.target)).toEqual([3, 6, 1, 0, 1, 1]);
  });

  it('copies in steps under a row budget, then completes on the next call', async () => {
    const demo = await seedDemo();
    await legacyRows(demo.teamId, demo.chatbotId);
    const first = await moveTeamToShard(env, demo.teamId, 4);
    expect(first).toMatchObject({ done: false, verified: false });
    expect(first.tables.conversations.copied + first.tables.messages.copied).toBe(4);
    const second = await moveTeamToShard(env, demo.teamId);
    expect(second).toMatchObject({ done: true, verified: true });
  });
});

describe('team deletion’s data-plane purge (worker/db/shard-purge.ts)', () => {
  const counts = async (db: D1Database, teamId: string) => {
    const out: number[] = [];
    for (const table of DATA_PLANE_TABLES) {
      const row = await db
        .prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE team_id = ?`)
        .bind(teamId)
        .first<{ n: number }>();
      out.push(Number(row?.n));
    }
    return out;
  };

  it('removes the team’s rows from its shard and the legacy copies in DB, and leaves another team’s alone', async () => {
    const a = await seedDemo();
    const b = await seedDemo();
    await legacyRows(a.teamId, a.chatbotId);
    await legacyRows(b.teamId, b.chatbotId);
    await moveTeamToShard(env, a.teamId);
    await moveTeamToShard(env, b.teamId);
    const router = shardRouter(env);
    const full = [3, 6, 1, 0, 1, 1];
    expect(await counts(router.forTeam(a.teamId), a.teamId)).toEqual(full);

    const purge = await purgeTeamDataPlane(env, a.teamId);
    // Each row twice: the shard's copy and the one the move left in DB.
    expect(Object.values(purge)).toEqual(full.map((n) => n * 2));
    const none = [0, 0, 0, 0, 0, 0];
    expect(await counts(router.forTeam(a.teamId), a.teamId)).toEqual(none);
    expect(await counts(env.DB, a.teamId)).toEqual(none);
    expect(await counts(router.forTeam(b.teamId), b.teamId)).toEqual(full);
    expect(await counts(env.DB, b.teamId)).toEqual(full);
    const listed = (await (await api.get(a.apiKey, '/api/v1/conversations')).json()) as { data: unknown[] };
    expect(listed.data).toEqual([]);
    // Running it again (after a failure part-way) finds nothing left and fails nothing.
    expect(Object.values(await purgeTeamDataPlane(env, a.teamId))).toEqual(none);
  });
});
