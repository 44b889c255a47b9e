import type { PostMessageInput } from '../conversation/inputs.ts';
import type { ConversationEvent, ConversationMessage } from '../conversation/protocol.ts';
import { conversationStub } from '../conversation/stub.ts';
import { conversationMeta, loadConversation } from '../conversations/lookup.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { OpenAIError } from './errors.ts';
import { ChunkStream, chatCompletion, completionMeta, failureStatus } from './format.ts';
import { lastUserText } from './messages.ts';
import type { ResolvedModel } from './models.ts';
import type { Background, ChatCompletionBody } from './schemas.ts';

/**
 * Continue mode: the newest user message goes to a stored conversation through its Durable Object, exactly like
 * POST /api/v1/conversations/{id}/messages, and the reply comes back in OpenAI's format. The conversation's own
 * chatbot version answers, so the client's sampling fields do not apply.
 */
export async function continueCompletion(
  env: Env,
  ctx: Background,
  teamId: string,
  request: { conversationId: string; idempotencyKey: string | undefined },
  resolved: ResolvedModel,
  body: ChatCompletionBody,
): Promise<Response> {
  const conversation = await loadConversation(env, teamId, request.conversationId).catch((error: unknown) => {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    throw new OpenAIError(404, 'conversation_not_found', 'Conversation not found', 'X-Parley-Conversation-Id');
  });
  const otherVersion = resolved.pinned && conversation.chatbotVersionId !== resolved.versionId;
  if (conversation.chatbotId !== resolved.chatbotId || otherVersion) {
    throw new OpenAIError(
      400,
      'conversation_model_mismatch',
      `Conversation ${conversation.id} belongs to another chatbot or version than \`${body.model}\``,
      'X-Parley-Conversation-Id',
    );
  }
  if (conversation.status === 'ended') throw new OpenAIError(409, 'conversation_ended', 'This conversation has ended');
  const input: PostMessageInput = {
    meta: conversationMeta(conversation),
    text: lastUserText(body.messages),
    clientMessageId: request.idempotencyKey,
    stream: body.stream === true,
  };
  const res = await conversationStub(env, conversation.id).fetch('https://conversation/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  if (!res.ok) {
    const failure = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    const status = res.status >= 400 && res.status < 600 ? (res.status as 400) : 500;
    throw new OpenAIError(status, failure?.error?.code ?? 'internal', failure?.error?.message ?? 'Conversation failed');
  }
  const headers = { 'x-parley-conversation-id': conversation.id };
  if (!input.stream) {
    const { reply } = (await res.json()) as { reply: ConversationMessage | null };
    if (!reply) throw new OpenAIError(500, 'internal', 'The conversation returned no reply');
    if (reply.error) throw new OpenAIError(failureStatus(reply.error), reply.error.code, reply.error.message);
    return Response.json(chatCompletion(completionMeta(body.model, reply.id), reply), { headers });
  }
  return relay(ctx, res, body, headers);
}

/** Reads the conversation's SSE events and writes its reply's deltas as OpenAI chunks. */
function relay(ctx: Background, res: Response, body: ChatCompletionBody, headers: Record<string, string>) {
  if (!res.body) throw new OpenAIError(500, 'internal', 'The conversation returned no stream');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const includeUsage = body.stream_options?.include_usage === true;
  // The client going away stops the reading only: the turn keeps running and is stored, as for any SSE client.
  const out = new ChunkStream(
    completionMeta(body.model),
    includeUsage,
    () => void reader.cancel().catch(() => {}),
    headers,
  );
  const onEvent = (event: ConversationEvent, replyId: string | undefined): string | undefined => {
    if (event.type === 'message.created' && event.message.role === 'assistant') return event.message.id;
    if (event.type === 'delta' && event.messageId === replyId) out.content(event.text);
    else if (event.type === 'error' && replyId && event.messageId === replyId) out.fail(event.error);
    else if (event.type === 'message.completed' && event.message.id === replyId) {
      out.finish(event.message.finishReason, event.message.usage);
    }
    return replyId;
  };
  const pump = async () => {
    let buffer = '';
    let replyId: string | undefined;
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        buffer += chunk.value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((line) => line.startsWith('data: '));
          buffer = buffer.slice(end + 2);
          if (data) replyId = onEvent(JSON.parse(data.slice('data: '.length)) as ConversationEvent, replyId);
        }
      }
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', relay: 'openai-compat', error: String(error) }));
    }
    // No-op when the reply already finished or failed.
    out.fail({ code: 'internal', message: 'The conversation stream ended before the reply did' });
  };
  ctx.waitUntil(pump());
  return out.response;
}
