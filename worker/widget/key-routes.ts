import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import { chatbotParams } from '../chatbots/api-schemas.ts';
import { findChatbot } from '../chatbots/store.ts';
import { database } from '../db/client.ts';
import { widgetKeys } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { afterCursor, page } from '../http/cursor.ts';
import { notFound } from '../http/errors.ts';
import { cursorQuery, errorResponses, idParam, iso } from '../http/schemas.ts';
import { newId } from '../ids.ts';
import { generateWidgetKey } from '../security/api-keys.ts';
import { randomBytes, toBase64Url } from '../security/encoding.ts';
import { secretBox, secretContext } from '../security/secrets.ts';

type WidgetKeyRow = typeof widgetKeys.$inferSelect;

// An origin is scheme://host[:port] with nothing after it (RFC 6454 §6.1 serialisation); `*` allows any page, and
// `scheme://host:*` any port of that host (local development).
const origin = z
  .string()
  .max(200)
  .regex(
    /^(\*|https?:\/\/[A-Za-z0-9.-]+(:(\d{1,5}|\*))?)$/,
    'must be an origin such as https://www.example.com, http://localhost:* or *',
  );
const allowedOrigins = z
  .array(origin)
  .min(1)
  .max(50)
  .openapi({ example: ['https://www.example.com'] });

const WidgetKey = z
  .object({
    id: z.string(),
    chatbotId: z.string(),
    key: z.string().describe('Public: it goes into the page in the script tag'),
    allowedOrigins: z.array(z.string()),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('WidgetKey');

const CreatedWidgetKey = WidgetKey.extend({
  identitySecret: z.string().describe('HMAC secret for Parley.identify(); shown only in this response'),
}).openapi('CreatedWidgetKey');

export type WidgetKey = z.infer<typeof WidgetKey>;
export type CreatedWidgetKey = z.infer<typeof CreatedWidgetKey>;

const present = (row: WidgetKeyRow) => ({
  id: row.id,
  chatbotId: row.chatbotId,
  key: row.key,
  allowedOrigins: row.allowedOrigins,
  createdAt: iso(row.createdAt) as string,
  revokedAt: iso(row.revokedAt),
});

const keyParams = z.object({ id: idParam('id', 'wgt_…') });
const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

async function loadKey(db: ReturnType<typeof database>, teamId: string, id: string): Promise<WidgetKeyRow> {
  const row = await db.query.widgetKeys.findFirst({ where: and(eq(widgetKeys.id, id), eq(widgetKeys.teamId, teamId)) });
  if (!row) throw notFound('Widget key');
  return row;
}

/** Widget keys of a chatbot: the public key in the embed snippet, the origins it works on, revocation. */
export const widgetKeyRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/chatbots/{idOrSlug}/widget-keys',
      tags: ['Widget keys'],
      summary: "List a chatbot's widget keys, newest first, a page at a time (revoked ones included)",
      description: 'Cursor-paginated: pass `nextCursor` back as `cursor` until it is null.',
      middleware: [requireApiKey('read')] as const,
      request: { params: chatbotParams, query: cursorQuery },
      responses: {
        200: json(z.object({ data: z.array(WidgetKey), nextCursor: z.string().nullable() }), 'A page of widget keys'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { teamId } = c.var.auth;
      const { limit, cursor } = c.req.valid('query');
      const db = database(c.env.DB);
      const chatbot = await findChatbot(db, teamId, c.req.valid('param').idOrSlug);
      const rows = await db
        .select()
        .from(widgetKeys)
        .where(
          and(
            eq(widgetKeys.teamId, teamId),
            eq(widgetKeys.chatbotId, chatbot.id),
            afterCursor(cursor, widgetKeys.createdAt, widgetKeys.id),
          ),
        )
        .orderBy(desc(widgetKeys.createdAt), desc(widgetKeys.id))
        .limit(limit + 1);
      const result = page(rows, limit);
      return c.json({ data: result.data.map(present), nextCursor: result.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/chatbots/{idOrSlug}/widget-keys',
      tags: ['Widget keys'],
      summary: 'Create a widget key for the origins that will embed the chatbot',
      middleware: [requireApiKey('admin')] as const,
      request: {
        params: chatbotParams,
        body: { required: true, content: { 'application/json': { schema: z.object({ allowedOrigins }) } } },
      },
      responses: { 201: json(CreatedWidgetKey, 'Created; the identity secret is shown once'), ...errorResponses },
    }),
    async (c) => {
      const { teamId } = c.var.auth;
      const chatbot = await findChatbot(database(c.env.DB), teamId, c.req.valid('param').idOrSlug);
      const now = Date.now();
      const id = newId('wgt', now);
      const identitySecret = toBase64Url(randomBytes(32));
      const box = await secretBox(c.env);
      const row: WidgetKeyRow = {
        id,
        teamId,
        chatbotId: chatbot.id,
        key: generateWidgetKey(),
        allowedOrigins: [...new Set(c.req.valid('json').allowedOrigins)],
        identitySecret: await box.seal(identitySecret, secretContext(teamId, 'widget', id)),
        createdAt: now,
        revokedAt: null,
      };
      await database(c.env.DB).insert(widgetKeys).values(row);
      return c.json({ ...present(row), identitySecret }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/widget-keys/{id}',
      tags: ['Widget keys'],
      summary: 'Change the origins a widget key works on',
      middleware: [requireApiKey('admin')] as const,
      request: {
        params: keyParams,
        body: { required: true, content: { 'application/json': { schema: z.object({ allowedOrigins }) } } },
      },
      responses: { 200: json(WidgetKey, 'The widget key'), ...errorResponses },
    }),
    async (c) => {
      const db = database(c.env.DB);
      const row = await loadKey(db, c.var.auth.teamId, c.req.valid('param').id);
      const next = { ...row, allowedOrigins: [...new Set(c.req.valid('json').allowedOrigins)] };
      await db.update(widgetKeys).set({ allowedOrigins: next.allowedOrigins }).where(eq(widgetKeys.id, row.id));
      return c.json(present(next), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/widget-keys/{id}',
      tags: ['Widget keys'],
      summary: 'Revoke a widget key: new sessions are refused at once (existing tokens expire within minutes)',
      middleware: [requireApiKey('admin')] as const,
      request: { params: keyParams },
      responses: { 204: { description: 'Revoked' }, ...errorResponses },
    }),
    async (c) => {
      const db = database(c.env.DB);
      const row = await loadKey(db, c.var.auth.teamId, c.req.valid('param').id);
      if (row.revokedAt === null)
        await db.update(widgetKeys).set({ revokedAt: Date.now() }).where(eq(widgetKeys.id, row.id));
      return c.body(null, 204);
    },
  );
