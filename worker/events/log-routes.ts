import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import { eventLog, eventOutcomes } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import { createRouter } from '../http/app.ts';
import { afterCursor, page } from '../http/cursor.ts';
import { cursorQuery, errorResponses, iso } from '../http/schemas.ts';

const EventLogEntrySchema = z
  .object({
    id: z.string(),
    firedAt: z.string(),
    chatbotId: z.string(),
    conversationId: z.string(),
    participantId: z.string().nullable(),
    trigger: z.object({
      id: z.string(),
      type: z.string().openapi({ example: 'inactivity' }),
    }),
    action: z.string().openapi({ example: 'bot_message' }),
    outcome: z.enum(eventOutcomes),
    error: z.string().nullable().openapi({ description: 'Why it failed or was skipped (never a secret)' }),
    detail: z.string().nullable().openapi({ description: 'What a log action wrote, or the tag added' }),
    attempt: z.number().int().openapi({ description: 'A retried webhook has a row per attempt, from 1' }),
  })
  .openapi('EventLogEntry');

export type EventLogView = z.infer<typeof EventLogEntrySchema>;

const filters = cursorQuery.extend({
  chatbotId: z.string().max(64).optional(),
  conversationId: z.string().max(64).optional(),
  outcome: z.enum(eventOutcomes).optional(),
});

export const eventLogRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/events/log',
    tags: ['Events'],
    summary: 'What triggers did: one entry per action of each firing, newest first, with filters',
    middleware: [requireApiKey('read')] as const,
    request: { query: filters },
    responses: {
      200: {
        description: 'A page of event log entries',
        content: {
          'application/json': {
            schema: z.object({ data: z.array(EventLogEntrySchema), nextCursor: z.string().nullable() }),
          },
        },
      },
      ...errorResponses,
    },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const rows = await teamDatabase(c.env, c.var.auth.teamId)
      .select()
      .from(eventLog)
      .where(
        and(
          eq(eventLog.teamId, c.var.auth.teamId),
          query.chatbotId ? eq(eventLog.chatbotId, query.chatbotId) : undefined,
          query.conversationId ? eq(eventLog.conversationId, query.conversationId) : undefined,
          query.outcome ? eq(eventLog.outcome, query.outcome) : undefined,
          afterCursor(query.cursor, eventLog.firedAt, eventLog.id),
        ),
      )
      .orderBy(desc(eventLog.firedAt), desc(eventLog.id))
      .limit(query.limit + 1);
    const result = page(
      rows.map((row) => ({ ...row, createdAt: row.firedAt })),
      query.limit,
    );
    const data: EventLogView[] = result.data.map((row) => ({
      id: row.id,
      firedAt: iso(row.firedAt) ?? '',
      chatbotId: row.chatbotId,
      conversationId: row.conversationId,
      participantId: row.participantId,
      trigger: { id: row.triggerId, type: row.triggerType },
      action: row.actionType,
      outcome: row.outcome,
      error: row.error,
      detail: row.detail,
      attempt: row.attempt,
    }));
    return c.json({ data, nextCursor: result.nextCursor }, 200);
  },
);
