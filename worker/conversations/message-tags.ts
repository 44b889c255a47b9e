import { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { conversationStub } from '../conversation/stub.ts';
import type { Database } from '../db/client.ts';
import { messageTags } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import type { Env } from '../env.ts';
import { createRouter } from '../http/app.ts';
import { notFound } from '../http/errors.ts';
import { idParam } from '../http/schemas.ts';
import { sortTags, uniqueTags } from '../tags/schema.ts';
import { replaceTagSet, tagSetRoutes } from '../tags/tag-set.ts';
import { loadConversation } from './lookup.ts';

/** The tags of every message of one conversation (sorted), keyed by message id; one indexed read. */
export async function tagsByMessage(db: Database, teamId: string, conversationId: string) {
  const rows = await db
    .select({ messageId: messageTags.messageId, tag: messageTags.tag })
    .from(messageTags)
    .where(and(eq(messageTags.conversationId, conversationId), eq(messageTags.teamId, teamId)));
  const tags = new Map<string, string[]>();
  for (const row of rows) {
    const list = tags.get(row.messageId);
    if (list) list.push(row.tag);
    else tags.set(row.messageId, [row.tag]);
  }
  for (const [id, list] of tags) tags.set(id, sortTags(list));
  return tags;
}

/** The conversation of this team and one of its messages, or a 404 naming which one is missing. */
async function loadMessage(env: Env, teamId: string, conversationId: string, messageId: string) {
  const conversation = await loadConversation(env, teamId, conversationId);
  const message = await conversationStub(env, conversation.id).getMessage(messageId);
  if (!message) throw notFound('Message');
  return { conversation, message };
}

const params = z.object({ id: idParam('id', 'conv_…'), messageId: idParam('messageId', 'msg_…') });
const routes = tagSetRoutes('/api/v1/conversations/{id}/messages/{messageId}/tags', params, 'one message');

/**
 * Tags on single messages: a reviewer marks the reply that went wrong (`hallucination`) or right, and the conversation
 * list's `tag` filter finds the conversation by them. Written with the `chat` scope like conversation tags.
 */
export const messageTagRoutes = createRouter()
  .openapi(routes.put, async (c) => {
    const { teamId } = c.var.auth;
    const param = c.req.valid('param');
    const { conversation, message } = await loadMessage(c.env, teamId, param.id, param.messageId);
    const tags = uniqueTags(c.req.valid('json').tags);
    const ofMessage = and(
      eq(messageTags.conversationId, conversation.id),
      eq(messageTags.messageId, message.id),
      eq(messageTags.teamId, teamId),
    );
    const createdAt = Date.now();
    // MAX_TAGS rows × 5 columns = 100 bound parameters: D1's per-statement maximum (D1 limits), not one more.
    const rows = tags.map((tag) => ({
      teamId,
      conversationId: conversation.id,
      messageId: message.id,
      tag,
      createdAt,
    }));
    await replaceTagSet(teamDatabase(c.env, teamId), messageTags, ofMessage, rows);
    return c.json({ tags: sortTags(tags) }, 200);
  })
  .openapi(routes.get, async (c) => {
    const { teamId } = c.var.auth;
    const param = c.req.valid('param');
    const { conversation, message } = await loadMessage(c.env, teamId, param.id, param.messageId);
    const tags = await tagsByMessage(teamDatabase(c.env, teamId), teamId, conversation.id);
    return c.json({ tags: tags.get(message.id) ?? [] }, 200);
  });
