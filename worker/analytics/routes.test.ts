import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, errorFields, insertChannel, insertConversation, scopedKey } from '../../test/api-fixtures.ts';
import { seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { messages, participants } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';

interface Overview {
  from: string;
  to: string;
  byChannel: { channel: string; conversations: number }[];
  responseTimeMs: { p50: number | null; p95: number | null; samples: number };
}

const at = (iso: string) => Date.parse(iso);

/** A completed reply that took `ms` from creation to completion, as the queue consumer stores it. */
async function reply(teamId: string, chatbotId: string, conversationId: string, position: number, ms: number) {
  const createdAt = at('2025-05-02T10:00:00Z') + position * 60_000;
  await teamDatabase(env, teamId)
    .insert(messages)
    .values({
      conversationId,
      id: `msg_r${position}`,
      teamId,
      chatbotId,
      position,
      role: 'assistant',
      content: 'answer',
      status: 'complete',
      metadata: {},
      createdAt,
      completedAt: createdAt + ms,
    });
}

describe('GET /api/v1/analytics/overview', () => {
  it('counts conversations by channel and gives reply-time percentiles for the range', async () => {
    const demo = await seedDemo();
    const key = await scopedKey(demo.teamId, ['read']);
    const day = { createdAt: at('2025-05-02T09:00:00Z') };
    const channelId = await insertChannel(demo.teamId, demo.chatbotId);
    await database(env.DB).insert(participants).values({
      id: 'ptc_overview_widget',
      teamId: demo.teamId,
      platform: 'widget',
      externalId: 'v1',
      data: {},
      createdAt: 1,
      updatedAt: 1,
    });
    const onTelegram = await insertConversation(demo.teamId, demo.chatbotId, { ...day, channelId });
    await insertConversation(demo.teamId, demo.chatbotId, { ...day, channelId });
    await insertConversation(demo.teamId, demo.chatbotId, { ...day, participantId: 'ptc_overview_widget' });
    await insertConversation(demo.teamId, demo.chatbotId, day);
    // Outside the range: not counted.
    await insertConversation(demo.teamId, demo.chatbotId, { createdAt: at('2025-06-01T00:00:00Z'), channelId });
    const times = [100, 200, 300, 400, 5000];
    for (const [index, ms] of times.entries()) await reply(demo.teamId, demo.chatbotId, onTelegram, index + 1, ms);

    const res = await api.get(key, '/api/v1/analytics/overview?from=2025-05-01&to=2025-05-31');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Overview;
    expect(body.from).toBe('2025-05-01');
    expect(body.to).toBe('2025-05-31');
    expect(body.byChannel).toEqual([
      { channel: 'telegram', conversations: 2 },
      expect.objectContaining({ conversations: 1 }),
      expect.objectContaining({ conversations: 1 }),
    ]);
    expect(body.byChannel.map((row) => row.channel).sort()).toEqual(['api', 'telegram', 'widget']);
    // Nearest rank: the 3rd of 5 is the median; the 5th is p95.
    expect(body.responseTimeMs).toEqual({ p50: 300, p95: 5000, samples: 5 });
  });

  it('is empty for a range without activity and scoped to the team', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    await insertConversation(other.teamId, other.chatbotId, { createdAt: at('2025-05-02T09:00:00Z') });
    const key = await scopedKey(demo.teamId, ['read']);
    const res = await api.get(key, '/api/v1/analytics/overview?from=2025-05-01&to=2025-05-31');
    expect(await res.json()).toMatchObject({ byChannel: [], responseTimeMs: { p50: null, p95: null, samples: 0 } });
    const foreign = await api.get(key, `/api/v1/analytics/overview?chatbotId=${other.chatbotId}`);
    expect(foreign.status).toBe(404);
  });

  it('names a bad range', async () => {
    const demo = await seedDemo();
    const key = await scopedKey(demo.teamId, ['read']);
    const res = await api.get(key, '/api/v1/analytics/overview?from=2025-05-10&to=2025-05-01');
    expect(res.status).toBe(400);
    expect(await errorFields(res)).toEqual(['query.to']);
  });
});
