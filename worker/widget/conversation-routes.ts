import { createRoute, z } from '@hono/zod-openapi';
import type { ConversationMeta } from '../conversation/meta.ts';
import { conversationStub } from '../conversation/stub.ts';
import { conversationMeta, findConversation } from '../conversations/lookup.ts';
import {
  approvalIdParam,
  decided,
  decisionErrors,
  ToolApprovalDecidedSchema,
  ToolApprovalDecisionBody,
} from '../conversations/tool-approval-schemas.ts';
import type { Env } from '../env.ts';
import { createRouter } from '../http/app.ts';
import { ApiError, notFound } from '../http/errors.ts';
import {
  AcceptedMessageSchema,
  afterSeq,
  CancelledSchema,
  conversationIdParam,
  type RatedMessage,
  RatedMessageSchema,
  RateMessage,
  SendWidgetMessage,
  WidgetHistorySchema,
  widgetErrorResponses,
  widgetRateLimited,
  widgetTokenSecurity,
} from './api-schemas.ts';
import { requireWidgetToken } from './auth.ts';
import { enforce, hitParticipant, participantPolicy } from './rate-limits.ts';
import type { WidgetTokenPayload } from './token.ts';

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
      surface: 'widget',
    };
  }
  if (row.participantId !== token.p || row.chatbotId !== token.b) throw notFound('Conversation');
  return { ...conversationMeta(row), participantId: token.p, surface: 'widget' };
}

const base = '/api/widget/v1/conversations/{id}';
const auth = requireWidgetToken();
const widgetRoute = { tags: ['Widget'], security: widgetTokenSecurity };
const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});
const params = conversationIdParam;
const after = z.object({ after: afterSeq.optional() });
const EndedSchema = z.object({ ended: z.literal(true) }).openapi('WidgetConversationEnded');

/** Widget conversation routes: all scoped to the one conversation the token names (docs/widget-api.md). */
export const widgetConversationRoutes = createRouter()
  .openapi(
    createRoute({
      ...widgetRoute,
      middleware: [auth] as const,
      method: 'get',
      path: `${base}/ws`,
      summary:
        'Open a WebSocket: events as JSON frames; send message.send, resume and cancel frames (docs/protocol.md)',
      request: { params, query: after },
      responses: {
        101: { description: 'Switching protocols; each frame is a WidgetEvent, or a RejectedFrame for a refused one' },
        ...widgetErrorResponses,
        426: { description: 'Not a WebSocket upgrade' },
      },
    }),
    async (c) => {
      if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
        throw new ApiError(426, 'upgrade_required', 'Expected a WebSocket upgrade (Upgrade: websocket)');
      }
      const meta = await tokenConversation(c.env, c.var.widget);
      const headers = new Headers(c.req.raw.headers);
      headers.set('x-parley-meta', JSON.stringify(meta));
      // The object counts each message.send frame against this participant's quota.
      headers.set('x-parley-participant', c.var.widget.p);
      const from = afterSeq.parse(c.req.query('after'));
      return conversationStub(c.env, meta.conversationId).fetch(`https://conversation/ws?after=${from}`, { headers });
    },
  )
  .openapi(
    createRoute({
      ...widgetRoute,
      middleware: [auth] as const,
      method: 'get',
      path: `${base}/events`,
      summary: 'Follow the conversation as Server-Sent Events; resume with Last-Event-ID or ?after=<seq>',
      request: {
        params,
        query: after,
        headers: z.object({ 'last-event-id': z.string().optional().openapi({ description: 'The last seq seen' }) }),
      },
      responses: {
        200: {
          description: 'Event stream; each `data:` is a WidgetEvent',
          content: { 'text/event-stream': { schema: z.string() } },
        },
        ...widgetErrorResponses,
      },
    }),
    async (c) => {
      await tokenConversation(c.env, c.var.widget);
      const from = afterSeq.parse(c.req.header('last-event-id') ?? c.req.query('after'));
      return conversationStub(c.env, c.var.widget.c).fetch(`https://conversation/events?after=${from}`);
    },
  )
  .openapi(
    createRoute({
      ...widgetRoute,
      middleware: [auth] as const,
      method: 'post',
      path: `${base}/messages`,
      summary: 'Send a message; the reply arrives on the event stream',
      request: { params, body: { required: true, content: { 'application/json': { schema: SendWidgetMessage } } } },
      responses: {
        202: json('Accepted; the reply follows as events', AcceptedMessageSchema),
        ...widgetErrorResponses,
        409: json('The conversation has ended', widgetErrorResponses[400].content['application/json'].schema),
        429: { ...widgetRateLimited, description: 'Too many messages from this participant' },
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      enforce(c, participantPolicy(c.env), await hitParticipant(c.env, c.var.widget.p));
      const meta = await tokenConversation(c.env, c.var.widget);
      const res = await conversationStub(c.env, meta.conversationId).fetch('https://conversation/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ meta, ...body, stream: false, detach: true }),
      });
      return c.json((await res.json()) as z.infer<typeof AcceptedMessageSchema>, res.status as 202);
    },
  )
  .openapi(
    createRoute({
      ...widgetRoute,
      middleware: [auth] as const,
      method: 'post',
      path: `${base}/cancel`,
      summary: 'Stop the reply being generated',
      request: { params },
      responses: { 200: json('Whether a reply was running', CancelledSchema), ...widgetErrorResponses },
    }),
    async (c) => c.json(await conversationStub(c.env, c.var.widget.c).cancel(), 200),
  )
  .openapi(
    createRoute({
      ...widgetRoute,
      middleware: [auth] as const,
      method: 'post',
      path: `${base}/end`,
      summary: 'End the conversation as its user: it accepts no more messages (ending it again changes nothing)',
      request: { params },
      responses: { 200: json('The conversation is ended', EndedSchema), ...widgetErrorResponses },
    }),
    async (c) => {
      // The object only, as for every widget write: the conversation's D1 row follows from the object through the
      // analytics queue, and `conversation_ended` triggers with `by: user` fire there (docs/events.md).
      const meta = await tokenConversation(c.env, c.var.widget);
      await conversationStub(c.env, c.var.widget.c).end(meta, 'user');
      return c.json({ ended: true as const }, 200);
    },
  )
  .openapi(
    createRoute({
      ...widgetRoute,
      middleware: [auth] as const,
      method: 'get',
      path: `${base}/messages`,
      summary: 'The conversation’s messages, and the seq to follow its events from',
      request: { params },
      responses: { 200: json('The history', WidgetHistorySchema), ...widgetErrorResponses },
    }),
    async (c) => {
      await tokenConversation(c.env, c.var.widget);
      return c.json(await conversationStub(c.env, c.var.widget.c).history(), 200);
    },
  )
  .openapi(
    createRoute({
      ...widgetRoute,
      middleware: [auth] as const,
      method: 'post',
      path: `${base}/feedback`,
      summary: 'Rate an assistant reply up or down (null clears the rating)',
      request: { params, body: { required: true, content: { 'application/json': { schema: RateMessage } } } },
      responses: { 200: json('The rating as stored', RatedMessageSchema), ...widgetErrorResponses },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await conversationStub(c.env, c.var.widget.c).feedback(body.messageId, body.rating);
      if (!result.ok && result.code === 'not_found') throw notFound('Message');
      if (!result.ok) throw new ApiError(400, 'not_a_reply', 'Feedback applies to a finished assistant reply only');
      // storeFeedback has just written `{rating, at}` there (worker/conversation/feedback.ts).
      const feedback = result.message.metadata.feedback as RatedMessage['feedback'];
      return c.json({ messageId: body.messageId, feedback }, 200);
    },
  )
  .openapi(
    createRoute({
      ...widgetRoute,
      middleware: [auth] as const,
      method: 'post',
      path: `${base}/tool-approvals/{approvalId}`,
      summary: 'Approve or deny a tool call the reply is waiting on (the socket’s tool.approval frame, over HTTP)',
      request: {
        params: params.extend({ approvalId: approvalIdParam }),
        body: { required: true, content: { 'application/json': { schema: ToolApprovalDecisionBody } } },
      },
      responses: {
        200: json('Decided', ToolApprovalDecidedSchema),
        ...widgetErrorResponses,
        ...decisionErrors(widgetErrorResponses[400].content['application/json'].schema),
      },
    }),
    async (c) => {
      const { approvalId } = c.req.valid('param');
      const { decision } = c.req.valid('json');
      await tokenConversation(c.env, c.var.widget);
      const stub = conversationStub(c.env, c.var.widget.c);
      const result = await stub.decideToolApproval(approvalId, decision === 'approve' ? 'approved' : 'denied');
      return c.json(decided(result), 200);
    },
  );
