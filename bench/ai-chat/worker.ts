/**
 * The comparison point of `npm run bench`: the same zero-latency workload served by the Cloudflare Agents SDK's chat
 * agent (`AIChatAgent` from @cloudflare/ai-chat) instead of Parley. One agent (a Durable Object) per conversation,
 * reached over its own WebSocket protocol at /agents/chat-agent/<name>.
 *
 * The model is a hand-written AI SDK LanguageModelV3 that streams, with no delay, exactly the tokens Parley's offline
 * provider streams for the same conversation (`offlineReply` + `tokenize`), so both sides send identical text.
 * It goes through `streamText(…).toUIMessageStreamResponse()`, the way the package's README writes an agent.
 */
import { AIChatAgent } from '@cloudflare/ai-chat';
import { routeAgentRequest } from 'agents';
import { convertToModelMessages, type LanguageModel, simulateReadableStream, streamText, type UIMessage } from 'ai';
import { offlineReply, tokenize } from '../../plugins/providers/offline/reply.ts';

interface Env {
  ChatAgent: DurableObjectNamespace<ChatAgent>;
}

type StreamPart = { type: string; [key: string]: unknown };

/** A model that answers at once: every token of the offline reply, then usage and finish. */
function zeroLatencyModel(history: readonly UIMessage[]): LanguageModel {
  const messages = history.map((message) => ({
    role: message.role === 'assistant' ? ('assistant' as const) : ('user' as const),
    content: message.parts.map((part) => (part.type === 'text' ? part.text : '')).join(''),
  }));
  const tokens = tokenize(offlineReply(messages));
  const parts: StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 't0' },
    ...tokens.map((delta) => ({ type: 'text-delta', id: 't0', delta })),
    { type: 'text-end', id: 't0' },
    {
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: {
        inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: tokens.length, text: tokens.length, reasoning: 0 },
      },
    },
  ];
  return {
    specificationVersion: 'v3',
    provider: 'bench',
    modelId: 'zero-latency',
    supportedUrls: {},
    doGenerate: () => Promise.reject(new Error('the benchmark model only streams')),
    doStream: async () => ({
      stream: simulateReadableStream({ chunks: parts, initialDelayInMs: null, chunkDelayInMs: null }),
    }),
  } as unknown as LanguageModel;
}

export class ChatAgent extends AIChatAgent<Env> {
  override async onChatMessage() {
    const result = streamText({
      model: zeroLatencyModel(this.messages),
      messages: await convertToModelMessages(this.messages),
    });
    return result.toUIMessageStreamResponse();
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname === '/health') return Response.json({ status: 'ok' });
    return (await routeAgentRequest(request, env)) ?? new Response('Not found', { status: 404 });
  },
} satisfies ExportedHandler<Env>;
