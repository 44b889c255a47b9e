import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { providers } from '../../plugins/registry.ts';
import { requireApiKey } from '../auth/middleware.ts';
import { templateDraft } from '../chatbot-templates/draft.ts';
import { database } from '../db/client.ts';
import { chatbots, chatbotVersions } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { afterCursor, page } from '../http/cursor.ts';
import { ApiError } from '../http/errors.ts';
import { cursorQuery, errorResponses, iso } from '../http/schemas.ts';
import {
  archivedQuery,
  ChatbotSchema,
  CreateChatbotSchema,
  chatbotParams,
  UpdateChatbotSchema,
} from './api-schemas.ts';
import { setArchived } from './archive.ts';
import { createChatbot } from './create.ts';
import { draftDefinition, primaryModel, usableDefinition } from './pipeline-checks.ts';
import { assertRevision, etag, parseIfMatch } from './revision.ts';
import { forgetTeamChatbots } from './start-cache.ts';
import { chatbotView, currentDraft, findChatbot, isSlugConflict, slugTaken } from './store.ts';
import { versionDiffRoutes } from './version-diff-routes.ts';
import { versionRoutes } from './version-routes.ts';
import { saveDraft } from './versions.ts';

const ChatbotSummary = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    provider: z.object({ id: z.string(), displayName: z.string(), offline: z.boolean() }).nullable(),
    model: z.string().nullable(),
    publishedVersion: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string().describe('Last change to the chatbot or its draft'),
  })
  .openapi('ChatbotSummary');

/** A chatbot as the list returns it (the dashboard's list takes its type from here). */
export type ChatbotSummary = z.infer<typeof ChatbotSummary>;

const jsonError = (description: string) => ({ description, content: errorResponses[400].content });

/** Archiving hides a chatbot from the default list and stops new conversations; nothing is ever deleted. */
const archiveRoute = (action: 'archive' | 'unarchive') =>
  createRoute({
    method: 'post',
    path: `/api/v1/chatbots/{idOrSlug}/${action}`,
    tags: ['Chatbots'],
    summary:
      action === 'archive'
        ? 'Archive a chatbot: hidden from the default list, no new conversations, nothing deleted'
        : 'Bring an archived chatbot back',
    middleware: [requireApiKey('admin', 'chatbots.write')] as const,
    request: { params: chatbotParams },
    responses: {
      200: { description: 'The chatbot', content: { 'application/json': { schema: ChatbotSchema } } },
      ...errorResponses,
    },
  });

export const chatbotRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/chatbots',
      tags: ['Chatbots'],
      summary: 'List chatbots, newest first (archived ones only with ?archived=true)',
      middleware: [requireApiKey('read')] as const,
      request: { query: cursorQuery.extend(archivedQuery.shape) },
      responses: {
        200: {
          description: 'A page of chatbots',
          content: {
            'application/json': {
              schema: z.object({ data: z.array(ChatbotSummary), nextCursor: z.string().nullable() }),
            },
          },
        },
        400: errorResponses[400],
        401: errorResponses[401],
        403: errorResponses[403],
      },
    }),
    async (c) => {
      const { limit, cursor, archived } = c.req.valid('query');
      const rows = await database(c.env.DB)
        .select({
          id: chatbots.id,
          slug: chatbots.slug,
          name: chatbots.name,
          description: chatbots.description,
          createdAt: chatbots.createdAt,
          updatedAt: chatbots.updatedAt,
          versionNumber: chatbotVersions.number,
          definition: chatbotVersions.definition,
        })
        .from(chatbots)
        .leftJoin(chatbotVersions, eq(chatbotVersions.id, chatbots.publishedVersionId))
        .where(
          and(
            eq(chatbots.teamId, c.var.auth.teamId),
            archived ? isNotNull(chatbots.archivedAt) : isNull(chatbots.archivedAt),
            afterCursor(cursor, chatbots.createdAt, chatbots.id),
          ),
        )
        .orderBy(desc(chatbots.createdAt), desc(chatbots.id))
        .limit(limit + 1);
      const result = page(rows, limit);
      return c.json(
        {
          data: result.data.map((row) => {
            const step = row.definition ? primaryModel(row.definition) : null;
            const provider = step ? providers.get(step.providerId) : undefined;
            return {
              id: row.id,
              slug: row.slug,
              name: row.name,
              description: row.description,
              provider: step
                ? {
                    id: step.providerId,
                    displayName: provider?.displayName ?? step.providerId,
                    offline: provider?.capabilities.offline ?? false,
                  }
                : null,
              model: step?.model ?? null,
              publishedVersion: row.versionNumber,
              createdAt: iso(row.createdAt) as string,
              updatedAt: iso(row.updatedAt) as string,
            };
          }),
          nextCursor: result.nextCursor,
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/chatbots',
      tags: ['Chatbots'],
      summary: 'Create a chatbot with its draft (version 0)',
      middleware: [requireApiKey('admin', 'chatbots.write')] as const,
      request: { body: { required: true, content: { 'application/json': { schema: CreateChatbotSchema } } } },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: ChatbotSchema } } },
        ...errorResponses,
        409: jsonError('The slug is taken'),
      },
    }),
    async (c) => {
      const { templateId, provider, definition: input, ...body } = c.req.valid('json');
      const db = database(c.env.DB);
      const definition = input && (await usableDefinition(db, c.var.auth.teamId, input, 'body.definition'));
      if (templateId === undefined) {
        return c.json(await createChatbot(db, c.var.auth.teamId, { ...body, ...(definition && { definition }) }), 201);
      }
      if (definition) {
        const message = 'send a definition or a templateId, not both';
        throw new ApiError(400, 'invalid_request', 'Invalid body.templateId', [{ field: 'body.templateId', message }]);
      }
      const draft = await templateDraft(db, c.var.auth.teamId, templateId, provider);
      return c.json(await createChatbot(db, c.var.auth.teamId, { ...body, definition: draft }), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/chatbots/{idOrSlug}',
      tags: ['Chatbots'],
      summary: 'Get a chatbot by id or slug, with its draft and published version numbers',
      middleware: [requireApiKey('read')] as const,
      request: { params: chatbotParams },
      responses: {
        200: { description: 'The chatbot', content: { 'application/json': { schema: ChatbotSchema } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const db = database(c.env.DB);
      const chatbot = await findChatbot(db, c.var.auth.teamId, c.req.valid('param').idOrSlug);
      const view = await chatbotView(db, chatbot);
      // The draft's revision, for editors that send it back as If-Match.
      if (view.draft) c.header('ETag', etag(view.draft.revision));
      return c.json(view, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/chatbots/{idOrSlug}',
      tags: ['Chatbots'],
      summary:
        'Rename a chatbot or edit its draft (a pipeline is saved with its problems listed in draft.issues); publish the draft to make changes live',
      middleware: [requireApiKey('admin', 'chatbots.write')] as const,
      request: {
        params: chatbotParams,
        headers: z.object({
          'if-match': z
            .string()
            .max(100)
            .optional()
            .openapi({ description: "The draft's revision (its ETag) this edit is based on" }),
        }),
        body: { required: true, content: { 'application/json': { schema: UpdateChatbotSchema } } },
      },
      responses: {
        200: { description: 'The chatbot', content: { 'application/json': { schema: ChatbotSchema } } },
        ...errorResponses,
        409: jsonError('The slug is taken, or the draft changed since `revision` / If-Match (draft_conflict)'),
      },
    }),
    async (c) => {
      const { definition: input, revision, ...fields } = c.req.valid('json');
      const { teamId } = c.var.auth;
      const db = database(c.env.DB);
      const chatbot = await findChatbot(db, teamId, c.req.valid('param').idOrSlug);
      const expected = parseIfMatch(c.req.valid('header')['if-match']) ?? revision ?? null;
      if (input && expected !== null) assertRevision(expected, (await currentDraft(db, chatbot))?.definition ?? null);
      const draft = input && (await draftDefinition(db, teamId, input, 'body.definition'));
      const definition = draft?.definition;
      const now = Date.now();
      const ofThisChatbot = and(eq(chatbots.id, chatbot.id), eq(chatbots.teamId, teamId));
      const updateChatbot = db
        .update(chatbots)
        .set({ ...fields, updatedAt: now })
        .where(ofThisChatbot);
      try {
        await (definition ? db.batch([updateChatbot, saveDraft(db, chatbot, definition, now)]) : updateChatbot);
      } catch (error) {
        if (fields.slug !== undefined && isSlugConflict(error)) throw slugTaken(fields.slug, 'body.slug');
        throw error;
      }
      // A new slug must not keep starting conversations under the old one here (start-cache.ts).
      if (fields.slug !== undefined) forgetTeamChatbots(teamId);
      const before = Object.fromEntries(
        Object.keys(fields).map((field) => [field, chatbot[field as keyof typeof fields]]),
      );
      // A new draft always counts as a change; its content is in the chatbot's versions, not the audit log.
      c.set('auditChange', {
        before,
        after: { ...fields, ...(definition && { draft: 'saved' }) },
      });
      const view = await chatbotView(db, { ...chatbot, ...fields, updatedAt: now });
      if (view.draft) c.header('ETag', etag(view.draft.revision));
      return c.json(draft && view.draft ? { ...view, draft: { ...view.draft, issues: draft.issues } } : view, 200);
    },
  )
  .openapi(archiveRoute('archive'), async (c) => {
    const db = database(c.env.DB);
    return c.json(await setArchived(db, c.var.auth.teamId, c.req.valid('param').idOrSlug, true), 200);
  })
  .openapi(archiveRoute('unarchive'), async (c) => {
    const db = database(c.env.DB);
    return c.json(await setArchived(db, c.var.auth.teamId, c.req.valid('param').idOrSlug, false), 200);
  })
  .route('/', versionDiffRoutes)
  .route('/', versionRoutes);
