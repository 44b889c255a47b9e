import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import { findChatbot } from '../chatbots/store.ts';
import { typedMessageText } from '../conversation/inputs.ts';
import type { ChannelAddress } from '../conversation/meta.ts';
import { conversationStub } from '../conversation/stub.ts';
import { database } from '../db/client.ts';
import { participants } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { errorResponses, idParam } from '../http/schemas.ts';
import { type ConversationRow, conversationMeta, loadConversation } from './lookup.ts';
import { participantConversation } from './participant-conversation.ts';

const TriggerBody = z
  .object({
    participantId: z.string().min(1).max(64).openapi({ example: 'ptc_…' }),
    conversationId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe("Default: the participant's latest active conversation with this chatbot, or a new one"),
    text: typedMessageText.optional().describe('Sent verbatim as the bot'),
    prompt: typedMessageText
      .optional()
      .describe('An instruction: the model writes the message; the prompt itself is never shown'),
  })
  .refine((body) => (body.text === undefined) !== (body.prompt === undefined), {
    message: 'give exactly one of text or prompt',
    path: ['text'],
  })
  .openapi('TriggerBot');

/** Like Open Chat Studio's trigger_bot: the chatbot messages a participant first. */
export const triggerRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/api/v1/chatbots/{chatbotId}/trigger',
    tags: ['Chatbots'],
    summary: 'Make the chatbot message a participant: verbatim text, or a message generated from a prompt',
    middleware: [requireApiKey('chat')] as const,
    request: {
      params: z.object({ chatbotId: idParam('chatbotId', 'bot_… or the slug') }),
      body: { required: true, content: { 'application/json': { schema: TriggerBody } } },
    },
    responses: {
      202: {
        description: 'Accepted: the message is stored (text) or being generated (prompt)',
        content: {
          'application/json': {
            schema: z.object({
              conversationId: z.string(),
              turnId: z.string(),
              message: z.object({}).passthrough().nullable(),
            }),
          },
        },
      },
      ...errorResponses,
      409: { description: 'The chatbot is archived or unpublished', content: errorResponses[400].content },
    },
  }),
  async (c) => {
    const { teamId } = c.var.auth;
    const { chatbotId } = c.req.valid('param');
    const body = c.req.valid('json');
    const db = database(c.env.DB);
    const [chatbot, participant] = await Promise.all([
      // By id or slug, like every route that names a chatbot (a 404 when neither matches).
      findChatbot(db, teamId, chatbotId),
      db.query.participants.findFirst({
        where: and(eq(participants.id, body.participantId), eq(participants.teamId, teamId)),
      }),
    ]);
    if (!chatbot) throw notFound('Chatbot');
    if (!participant) throw notFound('Participant');
    if (chatbot.archivedAt || !chatbot.publishedVersionId) {
      throw new ApiError(409, 'not_published', 'This chatbot is archived or has no published version');
    }
    let conversation: ConversationRow | undefined;
    let channel: ChannelAddress | undefined;
    if (body.conversationId) {
      conversation = await loadConversation(c.env, teamId, body.conversationId);
      if (conversation.chatbotId !== chatbot.id || conversation.participantId !== participant.id) {
        throw new ApiError(400, 'invalid_request', 'Invalid body.conversationId', [
          { field: 'body.conversationId', message: 'is not a conversation of this chatbot and participant' },
        ]);
      }
      if (conversation.status === 'ended') throw new ApiError(409, 'conversation_ended', 'This conversation has ended');
    } else {
      ({ conversation, channel } = await participantConversation(
        c.env,
        teamId,
        { id: chatbot.id, publishedVersionId: chatbot.publishedVersionId },
        participant.id,
        Date.now(),
      ));
    }
    const input = body.text !== undefined ? { text: body.text } : { instruction: body.prompt as string };
    const meta = { ...conversationMeta(conversation), ...(channel && { channel }) };
    const result = await conversationStub(c.env, conversation.id).trigger(meta, input);
    return c.json({ conversationId: conversation.id, ...result }, 202);
  },
);
