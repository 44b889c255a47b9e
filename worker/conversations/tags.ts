import { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { conversationTags } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import { createRouter } from '../http/app.ts';
import { idParam } from '../http/schemas.ts';
import { sortTags, uniqueTags } from '../tags/schema.ts';
import { replaceTagSet, tagSetRoutes } from '../tags/tag-set.ts';
import { tagsByConversation } from './json.ts';
import { loadConversation } from './lookup.ts';

const params = z.object({ id: idParam('id', 'conv_…') });
const routes = tagSetRoutes('/api/v1/conversations/{id}/tags', params, 'a conversation');

/** A conversation's tags (`escalated`, `lang:fr`): the tag set routes of tag-set.ts on the conversation. */
export const conversationTagRoutes = createRouter()
  .openapi(routes.put, async (c) => {
    const { teamId } = c.var.auth;
    const conversation = await loadConversation(c.env, teamId, c.req.valid('param').id);
    const tags = uniqueTags(c.req.valid('json').tags);
    const ofConversation = and(
      eq(conversationTags.teamId, teamId),
      eq(conversationTags.conversationId, conversation.id),
    );
    const createdAt = Date.now();
    const rows = tags.map((tag) => ({ teamId, conversationId: conversation.id, tag, createdAt }));
    await replaceTagSet(teamDatabase(c.env, teamId), conversationTags, ofConversation, rows);
    return c.json({ tags: sortTags(tags) }, 200);
  })
  .openapi(routes.get, async (c) => {
    const { teamId } = c.var.auth;
    const conversation = await loadConversation(c.env, teamId, c.req.valid('param').id);
    const tags = await tagsByConversation(teamDatabase(c.env, teamId), teamId, [conversation.id]);
    return c.json({ tags: tags.get(conversation.id) ?? [] }, 200);
  });
