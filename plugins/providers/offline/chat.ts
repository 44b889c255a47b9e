import type { ChatRequest, ChatStreamEvent, PluginContext } from '../../sdk/index.ts';
import { sampleJson } from '../../sdk/index.ts';
import { countTokens, offlineReply, tokenCount, tokenize } from './reply.ts';
import type { OfflineSettings } from './settings.ts';

/**
 * Streams the deterministic reply token by token, pacing tokens by `delayMs` like a real model would. With
 * `responseFormat` the reply is a JSON value satisfying the schema (sampleJson: an enum takes the value the last
 * user message names, so an LLM router can be steered offline).
 */
export async function* offlineChat(
  ctx: PluginContext<OfflineSettings>,
  request: ChatRequest,
): AsyncIterable<ChatStreamEvent> {
  const maxTokens = typeof request.parameters.maxTokens === 'number' ? request.parameters.maxTokens : Infinity;
  const tokens = tokenize(
    request.responseFormat
      ? JSON.stringify(sampleJson(request.responseFormat.schema, lastUserText(request)))
      : offlineReply(request.messages),
  );
  const emitted = tokens.slice(0, maxTokens);
  yield { type: 'metadata', metadata: { offline: true, provider: 'offline' } };
  for (const [index, token] of emitted.entries()) {
    if (ctx.signal.aborted) return;
    if (index > 0 && ctx.settings.delayMs > 0) {
      try {
        await ctx.clock.sleep(ctx.settings.delayMs, ctx.signal);
      } catch {
        return; // cancelled while waiting: stop quietly, the core records the partial answer
      }
    }
    yield { type: 'text-delta', text: token };
  }
  const inputTokens = countTokens(request.messages) + (request.system ? tokenCount(request.system) : 0);
  yield { type: 'usage', inputTokens, outputTokens: emitted.length };
  yield { type: 'finish', reason: emitted.length < tokens.length ? 'length' : 'stop' };
}

function lastUserText(request: ChatRequest): string {
  return request.messages.findLast((message) => message.role === 'user')?.content ?? '';
}
