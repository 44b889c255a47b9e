import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { database } from '../db/client.ts';
import { conversationTags } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { requireApiKey } from '../http/auth.ts';
import { tagsByConversation } from './conversation-json.ts';
import { loadConversation } from './conversation-lookup.ts';
import { errorResponses, idParam } from './schemas.ts';
import { MAX_TAGS, sortTags, TagSet, uniqueTags } from './tag-schema.ts';
import { replaceTagSet } from './tag-set.ts';

const params = z.object({ id: idParam('id', 'conv_…') });
const ok = (description: string) => ({ description, content: { 'application/json': { schema: TagSet } } });

/**
 * Tags are written with the `chat` scope: they are labels that the integration running a conversation sets as it
 * goes (`escalated`, `lang:fr`), the same key that sends its messages; reading them needs `read`.
 */
export const conversationTagRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/conversations/{id}/tags',
      tags: ['Conversations'],
      summary: `Replace the tags of a conversation (at most ${MAX_TAGS}; duplicates are merged)`,
      description: 'Needs the `chat` scope. An empty list removes every tag. Tags already set keep their date.',
      middleware: [requireApiKey('chat')] as const,
      request: { params, body: { required: true, content: { 'application/json': { schema: TagSet } } } },
      responses: { 200: ok('The tags now set, sorted'), ...errorResponses },
    }),
    async (c) => {
      const { teamId } = c.var.auth;
      const conversation = await loadConversation(c.env, teamId, c.req.valid('param').id);
      const tags = uniqueTags(c.req.valid('json').tags);
      const ofConversation = and(
        eq(conversationTags.teamId, teamId),
        eq(conversationTags.conversationId, conversation.id),
      );
      const createdAt = Date.now();
      const rows = tags.map((tag) => ({ teamId, conversationId: conversation.id, tag, createdAt }));
      await replaceTagSet(database(c.env.DB), conversationTags, ofConversation, rows);
      return c.json({ tags: sortTags(tags) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/conversations/{id}/tags',
      tags: ['Conversations'],
      summary: 'The tags of a conversation, sorted',
      middleware: [requireApiKey('read')] as const,
      request: { params },
      responses: { 200: ok('The tags'), ...errorResponses },
    }),
    async (c) => {
      const { teamId } = c.var.auth;
      const conversation = await loadConversation(c.env, teamId, c.req.valid('param').id);
      const tags = await tagsByConversation(database(c.env.DB), teamId, [conversation.id]);
      return c.json({ tags: tags.get(conversation.id) ?? [] }, 200);
    },
  );
