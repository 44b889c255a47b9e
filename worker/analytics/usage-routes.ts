import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { database } from '../db/client.ts';
import { teamDatabase } from '../db/shards.ts';
import { createRouter } from '../http/app.ts';
import { errorResponses } from '../http/schemas.ts';
import { DAY_MS, utcDate } from '../http/time-range.ts';
import { DayRangeQuery, dayRange, MAX_DAYS, requireChatbotInTeam } from './day-range.ts';
import { usageByDay } from './usage-query.ts';

const UsageDay = z
  .object({
    date: z.string().openapi({ example: '2026-01-31' }),
    chatbotId: z.string(),
    conversations: z.number().int().describe('Conversations started that day'),
    messages: z.object({ user: z.number().int(), assistant: z.number().int() }),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
  })
  .openapi('UsageDay');

const Usage = z.object({ from: z.string(), to: z.string(), data: z.array(UsageDay) }).openapi('Usage');

export const usageRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/usage',
    tags: ['Usage'],
    summary: 'Usage per chatbot per UTC day: conversations started, messages and tokens',
    description: `Computed from the analytics copy in D1, which a turn reaches a moment after it ends. Days without
activity are left out. \`from\` and \`to\` are both included; at most ${MAX_DAYS} days.`,
    middleware: [requireApiKey('read')] as const,
    request: { query: DayRangeQuery },
    responses: { 200: { description: 'Usage', content: { 'application/json': { schema: Usage } } }, ...errorResponses },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const { teamId } = c.var.auth;
    const { start, end } = dayRange(query);
    const chatbotId = await requireChatbotInTeam(database(c.env.DB), teamId, query.chatbotId);
    const data = await usageByDay(teamDatabase(c.env, teamId), { teamId, start, end, chatbotId });
    return c.json({ from: utcDate(start), to: utcDate(end - DAY_MS), data }, 200);
  },
);
