import { Hono } from 'hono';
import { z } from 'zod';
import { clientMessageId, typedMessageText } from '../conversation/inputs.ts';
import { attachmentIds, messageContext } from '../conversation/message-extras.ts';
import type { ConversationMeta } from '../conversation/meta.ts';
import { conversationStub } from '../conversation/stub.ts';
import { conversationMeta, findConversation } from '../conversations/lookup.ts';
import type { Env } from '../env.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { requireWidgetToken, type WidgetEnv } from './auth.ts';
import { enforce, hitParticipant, participantPolicy } from './rate-limits.ts';
import { jsonBody } from './request.ts';
import type { WidgetTokenPayload } from './token.ts';

const sendMessage = z.strictObject({
  text: typedMessageText,
  clientMessageId,
  context: messageContext.optional(),
  attachments: attachmentIds.optional(),
});
const feedback = z.strictObject({ messageId: z.string().min(1).max(64), rating: z.enum(['up', 'down']).nullable() });
const seq = z.coerce.number().int().min(0).catch(0);

/**
 * The token's conversation as its object needs to know it. A conversation starts with its first message, and its
 * D1 row follows through the analytics queue: until then the token itself says what the conversation will be
 * (sessions write no row, so a session never used leaves nothing behind).
 */
async function tokenConversation(env: Env, token: WidgetTokenPayload): Promise<ConversationMeta> {
  const row = await findConversation(env, token.t, token.c);
  if (!row) {
    if (!token.v) throw notFound('Conversation'); // a token from before `v`: its conversation always had a row
    return {
      conversationId: token.c,
      teamId: token.t,
      chatbotId: token.b,
      chatbotVersionId: token.v,
      participantId: token.p,
    };
  }
  if (row.participantId !== token.p || row.chatbotId !== token.b) throw notFound('Conversation');
  return { ...conversationMeta(row), participantId: token.p };
}

const base = '/api/widget/v1/conversations/:id';
const auth = requireWidgetToken();

/** Widget conversation routes: all scoped to the one conversation the token names (docs/widget-api.md). */
export const widgetConversationRoutes = new Hono<WidgetEnv>()
  .get(`${base}/ws`, auth, async (c) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      throw new ApiError(426, 'upgrade_required', 'Expected a WebSocket upgrade (Upgrade: websocket)');
    }
    const meta = await tokenConversation(c.env, c.var.widget);
    const headers = new Headers(c.req.raw.headers);
    headers.set('x-parley-meta', JSON.stringify(meta));
    // The object counts each message.send frame against this participant's quota.
    headers.set('x-parley-participant', c.var.widget.p);
    const after = seq.parse(c.req.query('after'));
    return conversationStub(c.env, meta.conversationId).fetch(`https://conversation/ws?after=${after}`, { headers });
  })
  .get(`${base}/events`, auth, async (c) => {
    await tokenConversation(c.env, c.var.widget);
    const after = seq.parse(c.req.header('last-event-id') ?? c.req.query('after'));
    return conversationStub(c.env, c.var.widget.c).fetch(`https://conversation/events?after=${after}`);
  })
  .post(`${base}/messages`, auth, async (c) => {
    const body = await jsonBody(c, sendMessage);
    enforce(c, participantPolicy(c.env), await hitParticipant(c.env, c.var.widget.p));
    const meta = await tokenConversation(c.env, c.var.widget);
    const res = await conversationStub(c.env, meta.conversationId).fetch('https://conversation/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ meta, ...body, stream: false, detach: true }),
    });
    return c.json((await res.json()) as Record<string, unknown>, res.status as 202);
  })
  .post(`${base}/cancel`, auth, async (c) => {
    return c.json(await conversationStub(c.env, c.var.widget.c).cancel(), 200);
  })
  .get(`${base}/messages`, auth, async (c) => {
    await tokenConversation(c.env, c.var.widget);
    return c.json(await conversationStub(c.env, c.var.widget.c).history(), 200);
  })
  .post(`${base}/feedback`, auth, async (c) => {
    const body = await jsonBody(c, feedback);
    const result = await conversationStub(c.env, c.var.widget.c).feedback(body.messageId, body.rating);
    if (!result.ok && result.code === 'not_found') throw notFound('Message');
    if (!result.ok) throw new ApiError(400, 'not_a_reply', 'Feedback applies to a finished assistant reply only');
    return c.json({ messageId: body.messageId, feedback: result.message.metadata.feedback }, 200);
  });
