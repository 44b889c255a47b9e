import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { database } from '../db/client.ts';
import { chatbots } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { requireApiKey } from '../http/auth.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { errorResponses } from './schemas.ts';
import { DAY_MS, utcDate } from './time-range.ts';
import { usageByDay } from './usage-query.ts';

const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

const UsageQuery = z.object({
  from: z.iso
    .date()
    .optional()
    .openapi({ description: `First day (UTC); default ${DEFAULT_DAYS} days before to` }),
  to: z.iso.date().optional().openapi({ description: 'Last day included (UTC); default today' }),
  chatbotId: z.string().min(1).max(64).optional(),
});

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

const dayStart = (date: string) => Date.parse(`${date}T00:00:00Z`);
const rangeError = (field: string, message: string) =>
  new ApiError(400, 'invalid_request', `Invalid ${field}`, [{ field, message }]);

export const usageRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/usage',
    tags: ['Usage'],
    summary: 'Usage per chatbot per UTC day: conversations started, messages and tokens',
    description: `Computed from the analytics copy in D1, which a turn reaches a moment after it ends. Days without
activity are left out. \`from\` and \`to\` are both included; at most ${MAX_DAYS} days.`,
    middleware: [requireApiKey('read')] as const,
    request: { query: UsageQuery },
    responses: { 200: { description: 'Usage', content: { 'application/json': { schema: Usage } } }, ...errorResponses },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const { teamId } = c.var.auth;
    const db = database(c.env.DB);
    const end = query.to === undefined ? dayStart(utcDate(Date.now())) + DAY_MS : dayStart(query.to) + DAY_MS;
    const start = query.from === undefined ? end - DEFAULT_DAYS * DAY_MS : dayStart(query.from);
    if (start >= end) throw rangeError('query.to', 'must not be before query.from');
    if (end - start > MAX_DAYS * DAY_MS) throw rangeError('query.from', `the range spans at most ${MAX_DAYS} days`);
    if (query.chatbotId !== undefined) {
      const chatbot = await db.query.chatbots.findFirst({
        where: and(eq(chatbots.id, query.chatbotId), eq(chatbots.teamId, teamId)),
        columns: { id: true },
      });
      if (!chatbot) throw notFound('Chatbot');
    }
    const data = await usageByDay(db, { teamId, start, end, chatbotId: query.chatbotId });
    return c.json({ from: utcDate(start), to: utcDate(end - DAY_MS), data }, 200);
  },
);
