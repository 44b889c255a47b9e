import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import { freezeActions } from '../custom-actions/freeze.ts';
import { database } from '../db/client.ts';
import { chatbotVersions } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { ApiError } from '../http/errors.ts';
import { cursorQuery, errorResponses } from '../http/schemas.ts';
import { computePins } from '../knowledge/pins/compute.ts';
import { collectionReferences } from '../knowledge/pins/references.ts';
import {
  ChatbotSchema,
  chatbotParams,
  PublishSchema,
  publishedVersionParams,
  VersionSchema,
  VersionSummarySchema,
  versionParams,
} from './api-schemas.ts';
import { storedDefinitionIssues } from './pipeline-checks.ts';
import { collectionsGone } from './publish-pins.ts';
import { etag } from './revision.ts';
import { chatbotView, findChatbot, presentVersion, presentVersionSummary } from './store.ts';
import { findVersion, listVersions, publishDraft, restoreVersion } from './versions.ts';

/** Version history of a chatbot: publish the draft, read any version, roll the draft back to one. */
export const versionRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/chatbots/{idOrSlug}/versions',
      tags: ['Chatbots'],
      summary: 'List published versions, newest first (the draft is version 0)',
      middleware: [requireApiKey('read')] as const,
      request: { params: chatbotParams, query: cursorQuery },
      responses: {
        200: {
          description: 'A page of versions',
          content: {
            'application/json': {
              schema: z.object({ data: z.array(VersionSummarySchema), nextCursor: z.string().nullable() }),
            },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const db = database(c.env.DB);
      const chatbot = await findChatbot(db, c.var.auth.teamId, c.req.valid('param').idOrSlug);
      const result = await listVersions(db, chatbot, limit, cursor);
      return c.json({ data: result.data.map(presentVersionSummary), nextCursor: result.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/chatbots/{idOrSlug}/versions/{number}',
      tags: ['Chatbots'],
      summary: 'Get one version with its definition; 0 is the draft',
      middleware: [requireApiKey('read')] as const,
      request: { params: versionParams },
      responses: {
        200: { description: 'The version', content: { 'application/json': { schema: VersionSchema } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { idOrSlug, number } = c.req.valid('param');
      const db = database(c.env.DB);
      const chatbot = await findChatbot(db, c.var.auth.teamId, idOrSlug);
      const version = presentVersion(await findVersion(db, chatbot, number));
      c.header('ETag', etag(version.revision));
      if (number !== 0) return c.json(version, 200);
      // The draft may hold problems (pipeline drafts are saved with them): list them, as PATCH does.
      const issues = await storedDefinitionIssues(db, c.var.auth.teamId, version.definition, 'definition');
      return c.json({ ...version, issues }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/chatbots/{idOrSlug}/versions',
      tags: ['Chatbots'],
      summary: 'Publish the draft as the next immutable version; new conversations use it',
      middleware: [requireApiKey('admin', 'chatbots.write')] as const,
      request: {
        params: chatbotParams,
        body: { required: false, content: { 'application/json': { schema: PublishSchema } } },
      },
      responses: {
        201: { description: 'The new version', content: { 'application/json': { schema: VersionSchema } } },
        ...errorResponses,
        409: {
          description: 'The draft refers to a plugin, credential or knowledge collection that is gone',
          content: errorResponses[400].content,
        },
      },
    }),
    async (c) => {
      const { teamId } = c.var.auth;
      const note = c.req.valid('json')?.note ?? '';
      const db = database(c.env.DB);
      const chatbot = await findChatbot(db, teamId, c.req.valid('param').idOrSlug);
      // A pipeline draft is saved with its problems, and a plugin or credential may have gone since a save: check.
      const draft = await db.query.chatbotVersions.findFirst({
        where: and(eq(chatbotVersions.chatbotId, chatbot.id), eq(chatbotVersions.number, 0)),
      });
      if (!draft) throw new ApiError(409, 'no_draft', 'This chatbot has no draft; save one with PATCH first');
      const issues = await storedDefinitionIssues(db, teamId, draft.definition, 'draft.definition');
      if (issues.length) {
        throw new ApiError(409, 'draft_invalid', 'The draft cannot be published; fix it with PATCH first', issues);
      }
      // Pinned just before the batch (which collections a definition uses is known to the node kinds, in JS); the
      // batch itself refuses to publish if one of them was deleted since (versions.ts publishDraft).
      const referenced = collectionReferences(draft.definition);
      const { pins, missing } = await computePins(db, teamId, referenced);
      // The custom actions it names are frozen too: their selected operations and base URL (not their auth).
      const actions = await freezeActions(db, teamId, draft.definition);
      const version = missing.length ? null : await publishDraft(db, chatbot, note, draft.definition, pins, actions);
      if (!version) throw collectionsGone(draft.definition, missing.length ? missing : referenced);
      return c.json(presentVersion(version), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/chatbots/{idOrSlug}/versions/{number}/restore',
      tags: ['Chatbots'],
      summary: "Roll back: copy a published version's definition into the draft (publish it to make it live)",
      middleware: [requireApiKey('admin', 'chatbots.write')] as const,
      request: { params: publishedVersionParams },
      responses: {
        200: {
          description: 'The chatbot with its new draft',
          content: { 'application/json': { schema: ChatbotSchema } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { idOrSlug, number } = c.req.valid('param');
      const db = database(c.env.DB);
      const chatbot = await findChatbot(db, c.var.auth.teamId, idOrSlug);
      await restoreVersion(db, chatbot, await findVersion(db, chatbot, number));
      return c.json(await chatbotView(db, chatbot), 200);
    },
  );
