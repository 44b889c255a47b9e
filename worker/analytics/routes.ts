import { createRoute, z } from '@hono/zod-openapi';
import { and, count, desc, eq, gt, gte, isNotNull, lt, sql } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import { database } from '../db/client.ts';
import { channels, conversations, messages, participants } from '../db/schema/index.ts';
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
    const db = database(c.env.DB);
    const { start, end } = dayRange(query);
    const chatbotId = await requireChatbotInTeam(db, teamId, query.chatbotId);
    const chatbotFilter = (column: typeof conversations.chatbotId | typeof messages.chatbotId) =>
      chatbotId === undefined ? undefined : eq(column, chatbotId);
    // Where a conversation happens: its channel's plugin, else the platform of its participant (widget, api).
    const channel = sql<string>`coalesce(${channels.pluginId}, ${participants.platform}, 'api')`;
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
    const [byChannel, [total]] = await db.batch([
      db
        .select({ channel, conversations: count() })
        .from(conversations)
        .leftJoin(channels, eq(channels.id, conversations.channelId))
        .leftJoin(participants, eq(participants.id, conversations.participantId))
        .where(
          and(
            eq(conversations.teamId, teamId),
            // A session opened but never used (no message) is not a conversation to count.
            gt(conversations.messageCount, 0),
            chatbotFilter(conversations.chatbotId),
            gte(conversations.createdAt, start),
            lt(conversations.createdAt, end),
          ),
        )
        .groupBy(channel)
        .orderBy(desc(count())),
      db.select({ samples: count() }).from(messages).where(replies),
    ]);
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
