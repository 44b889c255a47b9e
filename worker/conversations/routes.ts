import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import { findChatbotToStart } from '../chatbots/start-cache.ts';
import type { PostMessageInput } from '../conversation/inputs.ts';
import { clientMessageId, typedMessageText } from '../conversation/inputs.ts';
import { conversationStub } from '../conversation/stub.ts';
import { database } from '../db/client.ts';
import { conversations, participants } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import { createRouter } from '../http/app.ts';
import { ApiError } from '../http/errors.ts';
import { errorResponses, idParam } from '../http/schemas.ts';
import { humanText } from '../http/text.ts';
import { newId } from '../ids.ts';
import { tagRoutes } from '../tags/routes.ts';
import { conversationCommentRoutes } from './comments.ts';
import { conversationExportRoutes } from './export.ts';
import { ConversationSchema, presentOne } from './json.ts';
import { conversationListRoutes } from './list.ts';
import { type ConversationRow, conversationMeta, loadConversation, presentConversation } from './lookup.ts';
import { messageTagRoutes } from './message-tags.ts';
import { messageListRoutes } from './messages.ts';
import { sessionStateRoutes } from './session-state.ts';
import { conversationTagRoutes } from './tags.ts';
import { toolApprovalRoutes } from './tool-approvals.ts';
import { pinnedVersionId } from './version.ts';

const StartConversation = z
  .object({
    chatbotId: z.string().min(1).max(64).openapi({ description: 'The chatbot’s id or slug', example: 'bot_…' }),
    version: z
      .number()
      .int()
      .min(0)
      .max(1_000_000_000)
      .optional()
      .describe(
        'Talk to this version instead of the live one; 0 is the draft as it is now (the dashboard test chat). ' +
          'Needs the permission to edit chatbots (API keys: admin).',
      ),
    participant: z
      .object({
        id: z.string().min(1).max(200).describe('Your identifier for the person'),
        name: humanText().max(200).optional(),
        data: z.record(z.string(), z.unknown()).optional().describe('Custom data available to prompts'),
      })
      .optional(),
  })
  .openapi('StartConversation');

const SendMessage = z
  .object({
    text: typedMessageText,
    clientMessageId: clientMessageId
      .optional()
      .describe('Your id for this message; re-sending the same id returns the original turn instead of a new one'),
  })
  .openapi('SendMessage');

const jsonError = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorResponses[400].content['application/json'].schema } },
});

export const conversationRoutes = createRouter()
  .route('/', conversationListRoutes)
  .route('/', conversationExportRoutes)
  .route('/', conversationTagRoutes)
  .route('/', conversationCommentRoutes)
  .route('/', messageListRoutes)
  .route('/', messageTagRoutes)
  .route('/', sessionStateRoutes)
  .route('/', toolApprovalRoutes)
  .route('/', tagRoutes)
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/conversations',
      tags: ['Conversations'],
      summary: 'Start a conversation with a published chatbot',
      middleware: [requireApiKey('chat')] as const,
      request: { body: { required: true, content: { 'application/json': { schema: StartConversation } } } },
      responses: {
        201: { description: 'Started', content: { 'application/json': { schema: ConversationSchema } } },
        ...errorResponses,
        409: jsonError('The chatbot is archived or has no published version'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { teamId } = c.var.auth;
      const db = database(c.env.DB);
      // By id or slug, like every route that names a chatbot.
      const chatbot = await findChatbotToStart(db, teamId, body.chatbotId);
      if (chatbot.archivedAt) throw new ApiError(409, 'not_published', 'This chatbot is archived');
      const versionId =
        body.version === undefined
          ? chatbot.publishedVersionId
          : await pinnedVersionId(db, c.var.auth, chatbot.id, body.version);
      if (!versionId) throw new ApiError(409, 'not_published', 'This chatbot has no published version');
      const now = Date.now();
      const conversation: ConversationRow = {
        id: newId('conv', now),
        teamId,
        chatbotId: chatbot.id,
        chatbotVersionId: versionId,
        channelId: null,
        participantId: null,
        status: 'active',
        messageCount: 0,
        lastMessageAt: null,
        createdAt: now,
        updatedAt: now,
      };
      if (body.participant) {
        const participantId = newId('ptc', now);
        // Two steps: the participant is control plane (`DB`), the conversation's row data plane (the team's shard,
        // worker/db/shards.ts). The upsert returns whichever row won; a failure before the second step leaves only
        // the participant, which the retry upserts again.
        const [participant] = await db
          .insert(participants)
          .values({
            id: participantId,
            teamId,
            platform: 'api',
            externalId: body.participant.id,
            name: body.participant.name ?? null,
            data: (body.participant.data ?? {}) as never,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoUpdate({
            target: [participants.teamId, participants.platform, participants.externalId],
            set: {
              updatedAt: now,
              ...(body.participant.name !== undefined && { name: body.participant.name }),
              ...(body.participant.data !== undefined && { data: body.participant.data as never }),
            },
          })
          .returning({ id: participants.id });
        const inserted = await teamDatabase(c.env, teamId)
          .insert(conversations)
          .values({ ...conversation, participantId: participant?.id ?? null })
          .returning();
        return c.json({ ...presentConversation(inserted[0] as ConversationRow), tags: [] }, 201);
      }
      await teamDatabase(c.env, teamId).insert(conversations).values(conversation);
      return c.json({ ...presentConversation(conversation), tags: [] }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/conversations/{id}',
      tags: ['Conversations'],
      summary: 'Get a conversation',
      middleware: [requireApiKey('read')] as const,
      request: { params: z.object({ id: idParam('id', 'conv_…') }) },
      responses: {
        200: { description: 'The conversation', content: { 'application/json': { schema: ConversationSchema } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const conversation = await loadConversation(c.env, c.var.auth.teamId, c.req.valid('param').id);
      return c.json(await presentOne(teamDatabase(c.env, c.var.auth.teamId), conversation), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/conversations/{id}/end',
      tags: ['Conversations'],
      summary: 'End a conversation: it accepts no more messages (ending it again changes nothing)',
      middleware: [requireApiKey('chat')] as const,
      request: { params: z.object({ id: idParam('id', 'conv_…') }) },
      responses: {
        200: { description: 'The ended conversation', content: { 'application/json': { schema: ConversationSchema } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { teamId } = c.var.auth;
      const conversation = await loadConversation(c.env, teamId, c.req.valid('param').id);
      // The object first: once it knows, no transport (HTTP, WebSocket, widget) can add a message. Idempotent, so a
      // retry after a failure below completes the ending.
      // A person in the dashboard is an admin ending it; an API key is the API (conversation_ended triggers' `by`).
      const by = c.var.auth.actor.type === 'user' ? 'admin' : 'api';
      await conversationStub(c.env, conversation.id).end(conversationMeta(conversation), by);
      const db = teamDatabase(c.env, teamId);
      if (conversation.status === 'ended') return c.json(await presentOne(db, conversation), 200);
      // Guarded on the status so a repeated or concurrent call leaves the first ending's updatedAt in place.
      const [ended] = await db
        .update(conversations)
        .set({ status: 'ended', updatedAt: Date.now() })
        .where(
          and(
            eq(conversations.id, conversation.id),
            eq(conversations.teamId, teamId),
            eq(conversations.status, 'active'),
          ),
        )
        .returning();
      return c.json(await presentOne(db, ended ?? { ...conversation, status: 'ended' }), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/conversations/{id}/messages',
      tags: ['Conversations'],
      summary: 'Send a message; the reply comes as JSON, or as Server-Sent Events with Accept: text/event-stream',
      middleware: [requireApiKey('chat')] as const,
      request: {
        params: z.object({ id: idParam('id', 'conv_…') }),
        body: { required: true, content: { 'application/json': { schema: SendMessage } } },
      },
      responses: {
        200: {
          description:
            'The reply as Server-Sent Events (Accept: text/event-stream), or a re-sent message: the original turn',
          content: {
            'application/json': { schema: z.object({}).passthrough() },
            'text/event-stream': { schema: z.string() },
          },
        },
        201: {
          description: 'The message and the reply (JSON)',
          content: { 'application/json': { schema: z.object({}).passthrough() } },
        },
        ...errorResponses,
        409: jsonError('The conversation has ended'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const conversation = await loadConversation(c.env, c.var.auth.teamId, id);
      if (conversation.status === 'ended') throw new ApiError(409, 'conversation_ended', 'This conversation has ended');
      // A signed-in person (the dashboard's test chat) can approve tool calls; an API key is a program that cannot.
      const surface = c.var.auth.actor.type === 'user' ? { surface: 'dashboard' as const } : {};
      const input: PostMessageInput = {
        meta: { ...conversationMeta(conversation), ...surface },
        text: body.text,
        clientMessageId: body.clientMessageId,
        stream: (c.req.header('accept') ?? '').includes('text/event-stream'),
      };
      return conversationStub(c.env, conversation.id).fetch('https://conversation/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
    },
  );
