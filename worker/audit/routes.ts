import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, gte, like, lt } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import { database } from '../db/client.ts';
import { auditActorTypes, auditLog } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { afterCursor, page } from '../http/cursor.ts';
import { cursorQuery, errorResponses, iso } from '../http/schemas.ts';
import { endOf, isoInstant, startOf } from '../http/time-range.ts';

const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.object({ type: z.enum(auditActorTypes), id: z.string(), label: z.string() }),
    action: z.string().openapi({ example: 'chatbot.update' }),
    route: z.string().openapi({ example: 'PATCH /api/v1/chatbots/{idOrSlug}' }),
    status: z.number().int(),
    target: z.object({ type: z.string().nullable(), id: z.string().nullable() }),
    changes: z
      .record(z.string(), z.object({ before: z.unknown().optional(), after: z.unknown().optional() }))
      .nullable()
      .openapi({ description: 'Fields the request set, short values, secrets redacted' }),
    ip: z.string().nullable(),
  })
  .openapi('AuditEntry');

export type AuditEntry = z.infer<typeof AuditEntrySchema>;

const filters = cursorQuery.extend({
  actorId: z.string().max(64).optional().openapi({ description: 'A user id or an API key id' }),
  actorType: z.enum(auditActorTypes).optional(),
  action: z
    .string()
    .max(100)
    .regex(/^[a-z_.]+$/)
    .optional()
    .openapi({ description: 'An exact action (`chatbot.update`) or a prefix ending in a dot (`chatbot.`)' }),
  targetId: z.string().max(64).optional(),
  targetType: z.string().max(40).optional(),
  from: isoInstant.optional().openapi({ description: 'On or after (date or date-time)', example: '2026-01-01' }),
  to: isoInstant.optional().openapi({ description: 'On or before (a date includes its whole UTC day)' }),
});

/** Escapes LIKE's wildcards so a prefix filter matches literally. */
const literalPrefix = (text: string) => `${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

export const auditLogRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/audit-log',
    tags: ['Members'],
    summary: 'Who changed what: every write by a person or an API key, newest first, with filters',
    middleware: [requireApiKey('admin', 'audit.read')] as const,
    request: { query: filters },
    responses: {
      200: {
        description: 'A page of audit entries',
        content: {
          'application/json': {
            schema: z.object({ data: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }),
          },
        },
      },
      ...errorResponses,
    },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const action = query.action;
    const rows = await database(c.env.DB)
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.teamId, c.var.auth.teamId),
          query.actorId ? eq(auditLog.actorId, query.actorId) : undefined,
          query.actorType ? eq(auditLog.actorType, query.actorType) : undefined,
          action
            ? action.endsWith('.')
              ? like(auditLog.action, literalPrefix(action))
              : eq(auditLog.action, action)
            : undefined,
          query.targetId ? eq(auditLog.targetId, query.targetId) : undefined,
          query.targetType ? eq(auditLog.targetType, query.targetType) : undefined,
          query.from ? gte(auditLog.createdAt, startOf(query.from)) : undefined,
          query.to ? lt(auditLog.createdAt, endOf(query.to)) : undefined,
          afterCursor(query.cursor, auditLog.createdAt, auditLog.id),
        ),
      )
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(query.limit + 1);
    const result = page(rows, query.limit);
    return c.json(
      {
        data: result.data.map((row) => ({
          id: row.id,
          at: iso(row.createdAt) ?? '',
          actor: { type: row.actorType, id: row.actorId, label: row.actorLabel },
          action: row.action,
          route: row.route,
          status: row.status,
          target: { type: row.targetType, id: row.targetId },
          changes: row.changes,
          ip: row.ip,
        })),
        nextCursor: result.nextCursor,
      },
      200,
    );
  },
);
