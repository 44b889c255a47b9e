import { createRoute, z } from '@hono/zod-openapi';
import { and, count, eq, gt, gte, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import { type Database, database } from '../db/client.ts';
import { channels, conversations, messages, participants } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import { createRouter } from '../http/app.ts';
import { errorResponses } from '../http/schemas.ts';
import { DAY_MS, utcDate } from '../http/time-range.ts';
import { DayRangeQuery, dayRange, requireChatbotInTeam } from './day-range.ts';

const Overview = z
  .object({
    from: z.string(),
    to: z.string(),
    byChannel: z
      .array(
        z.object({ channel: z.string().describe('Channel plugin id, or widget / api'), conversations: z.number() }),
      )
      .describe('Conversations started in the range, by where they happen'),
    responseTimeMs: z
      .object({
        p50: z.number().nullable(),
        p95: z.number().nullable(),
        samples: z.number().int(),
      })
      .describe('From a reply starting to it being complete, over completed replies in the range'),
  })
  .openapi('AnalyticsOverview');

export type AnalyticsOverview = z.infer<typeof Overview>;

export const analyticsRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/analytics/overview',
    tags: ['Usage'],
    summary: 'Conversations by channel and reply time percentiles, for the dashboard home',
    middleware: [requireApiKey('read')] as const,
    request: { query: DayRangeQuery },
    responses: {
      200: { description: 'Overview', content: { 'application/json': { schema: Overview } } },
      ...errorResponses,
    },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const { teamId } = c.var.auth;
    const { start, end } = dayRange(query);
    const chatbotId = await requireChatbotInTeam(database(c.env.DB), teamId, query.chatbotId);
    // Conversations and messages are the team's data plane (its shard); channels and participants are in `DB`.
    const db = teamDatabase(c.env, teamId);
    const chatbotFilter = (column: typeof conversations.chatbotId | typeof messages.chatbotId) =>
      chatbotId === undefined ? undefined : eq(column, chatbotId);
    const replyMs = sql<number>`${messages.completedAt} - ${messages.createdAt}`;
    const replies = and(
      eq(messages.teamId, teamId),
      chatbotFilter(messages.chatbotId),
      eq(messages.role, 'assistant'),
      eq(messages.status, 'complete'),
      isNotNull(messages.completedAt),
      gte(messages.createdAt, start),
      lt(messages.createdAt, end),
    );
    const started = and(
      eq(conversations.teamId, teamId),
      // A session opened but never used (no message) is not a conversation to count.
      gt(conversations.messageCount, 0),
      chatbotFilter(conversations.chatbotId),
      gte(conversations.createdAt, start),
      lt(conversations.createdAt, end),
    );
    const [perChannel, perParticipant, [total]] = await db.batch([
      db
        .select({ channelId: conversations.channelId, conversations: count() })
        .from(conversations)
        .where(and(started, isNotNull(conversations.channelId)))
        .groupBy(conversations.channelId),
      db
        .select({ participantId: conversations.participantId, conversations: count() })
        .from(conversations)
        .where(and(started, isNull(conversations.channelId)))
        .groupBy(conversations.participantId),
      db.select({ samples: count() }).from(messages).where(replies),
    ]);
    const byChannel = await channelCounts(database(c.env.DB), teamId, perChannel, perParticipant);
    const samples = total?.samples ?? 0;
    // Percentiles by rank (nearest-rank method): one indexed scan each, no window functions needed.
    const at = async (fraction: number) => {
      if (samples === 0) return null;
      const offset = Math.min(samples - 1, Math.ceil(fraction * samples) - 1);
      const [row] = await db
        .select({ ms: replyMs })
        .from(messages)
        .where(replies)
        .orderBy(replyMs)
        .limit(1)
        .offset(offset);
      return row ? Number(row.ms) : null;
    };
    const [p50, p95] = await Promise.all([at(0.5), at(0.95)]);
    return c.json(
      { from: utcDate(start), to: utcDate(end - DAY_MS), byChannel, responseTimeMs: { p50, p95, samples } },
      200,
    );
  },
);

/**
 * Where a conversation happens: its channel's plugin, else the platform of its participant (widget, api), else
 * `api`. The counts come from the team's shard and the names from `DB` by id list (a join cannot cross databases),
 * ids in chunks: D1 binds at most 100 parameters per statement (developers.cloudflare.com/d1/platform/limits).
 */
async function channelCounts(
  db: Database,
  teamId: string,
  perChannel: { channelId: string | null; conversations: number }[],
  perParticipant: { participantId: string | null; conversations: number }[],
): Promise<{ channel: string; conversations: number }[]> {
  const channelIds = perChannel.flatMap((row) => (row.channelId ? [row.channelId] : []));
  const participantIds = perParticipant.flatMap((row) => (row.participantId ? [row.participantId] : []));
  const [pluginOf, platformOf] = await Promise.all([
    namesById(channelIds, (ids) =>
      db
        .select({ id: channels.id, name: channels.pluginId })
        .from(channels)
        .where(and(eq(channels.teamId, teamId), inArray(channels.id, ids))),
    ),
    namesById(participantIds, (ids) =>
      db
        .select({ id: participants.id, name: participants.platform })
        .from(participants)
        .where(and(eq(participants.teamId, teamId), inArray(participants.id, ids))),
    ),
  ]);
  const totals = new Map<string, number>();
  const add = (channel: string, n: number) => totals.set(channel, (totals.get(channel) ?? 0) + Number(n));
  for (const row of perChannel) add((row.channelId && pluginOf.get(row.channelId)) || 'api', row.conversations);
  for (const row of perParticipant)
    add((row.participantId && platformOf.get(row.participantId)) || 'api', row.conversations);
  return [...totals]
    .map(([channel, conversations]) => ({ channel, conversations }))
    .sort((a, b) => b.conversations - a.conversations || (a.channel < b.channel ? -1 : 1));
}

const IDS_PER_QUERY = 90;

async function namesById(
  ids: string[],
  query: (ids: string[]) => Promise<{ id: string; name: string }[]>,
): Promise<Map<string, string>> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) chunks.push(ids.slice(i, i + IDS_PER_QUERY));
  const rows = (await Promise.all(chunks.map(query))).flat();
  return new Map(rows.map((row) => [row.id, row.name]));
}
