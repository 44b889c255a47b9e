import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat';
import type { ChatRequest } from '../../sdk/index.ts';
import { modelFacts } from './catalog.ts';
import { toOpenAIMessages, toOpenAITools } from './messages.ts';
import { readParameters } from './parameters.ts';
import { toResponseFormat } from './response-format.ts';
import { isOpenAIHost } from './settings.ts';

/**
 * The streaming Chat Completions body for a Parley request. `stream_options.include_usage` makes the API send a
 * last chunk with the token usage (platform.openai.com/docs/api-reference/chat/create#stream_options).
 */
export function toCompletionParams(
  request: ChatRequest,
  baseUrl: string,
  rename: Readonly<Record<string, string>> = {},
): ChatCompletionCreateParamsStreaming {
  const parameters = readParameters(request.parameters);
  const params: ChatCompletionCreateParamsStreaming = {
    model: request.model,
    messages: toOpenAIMessages(request.system, request.messages, request.model),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.tools && request.tools.length > 0) params.tools = toOpenAITools(request.tools);
  if (request.responseFormat) params.response_format = toResponseFormat(request.responseFormat);
  if (parameters.temperature !== undefined) params.temperature = parameters.temperature;
  if (parameters.topP !== undefined) params.top_p = parameters.topP;
  if (parameters.frequencyPenalty !== undefined) params.frequency_penalty = parameters.frequencyPenalty;
  if (parameters.presencePenalty !== undefined) params.presence_penalty = parameters.presencePenalty;
  if (parameters.stop !== undefined) params.stop = parameters.stop;
  if (parameters.seed !== undefined) params.seed = parameters.seed;
  if (parameters.reasoningEffort !== undefined) params.reasoning_effort = parameters.reasoningEffort;
  if (parameters.maxTokens !== undefined) {
    // OpenAI deprecated `max_tokens` for `max_completion_tokens`, and reasoning models reject `max_tokens`; most
    // compatible servers (Ollama, Mistral, llama.cpp) still only read `max_tokens`.
    if (isOpenAIHost(baseUrl) || modelFacts(request.model)?.reasoning) {
      params.max_completion_tokens = parameters.maxTokens;
    } else {
      params.max_tokens = parameters.maxTokens;
    }
  }
  return renamed(params, rename);
}

/** `params` with fields renamed for a compatible server; the SDK passes unknown body fields through unchanged. */
function renamed(
  params: ChatCompletionCreateParamsStreaming,
  rename: Readonly<Record<string, string>>,
): ChatCompletionCreateParamsStreaming {
  const body: Record<string, unknown> = { ...params };
  for (const [from, to] of Object.entries(rename)) {
    if (!(from in body)) continue;
    body[to] = body[from];
    delete body[from];
  }
  return body as unknown as ChatCompletionCreateParamsStreaming;
}
