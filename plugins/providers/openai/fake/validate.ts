/**
 * Checks a Chat Completions request body as the real API does, in the same order, answering the same error
 * bodies (platform.openai.com/docs/api-reference/chat/create). Returns the parsed request or the error.
 */

import { checkContentParts } from './content-parts.ts';
import type { FakeModel } from './models.ts';
import { findModel } from './models.ts';
import { checkResponseFormat, type JsonSchemaFormat } from './structured.ts';
import type { ApiError } from './wire.ts';
import { errors } from './wire.ts';

export interface WireMessage {
  role: string;
  content: unknown;
  tool_call_id?: string;
  tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
}

export interface WireTool {
  type: string;
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export interface CompletionRequest {
  body: Record<string, unknown>;
  model: FakeModel;
  messages: WireMessage[];
  tools: WireTool[];
  stream: boolean;
  includeUsage: boolean;
  /** `response_format` of type `json_schema`, when sent. */
  jsonSchema?: JsonSchemaFormat;
  /** `max_tokens` or `max_completion_tokens`, whichever was sent. */
  maxTokens?: number;
}

const KNOWN_PARAMETERS = new Set(
  (
    'model messages stream stream_options temperature top_p max_tokens max_completion_tokens frequency_penalty ' +
    'presence_penalty stop seed tools tool_choice parallel_tool_calls reasoning_effort n user logprobs top_logprobs ' +
    'response_format metadata store logit_bias service_tier modalities audio prediction safety_identifier ' +
    'prompt_cache_key verbosity web_search_options'
  ).split(' '),
);
const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];
// Function names: a–z, A–Z, 0–9, _ and -, at most 64 (platform.openai.com/docs/api-reference/chat/create#tools).
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `hostModels`: ids an OpenAI-compatible host serves besides the fake's own (compatible.ts); they chat like gpt-4o. */
export function validateCompletion(raw: unknown, hostModels: readonly string[] = []): CompletionRequest | ApiError {
  if (!isRecord(raw)) return errors.invalidJson();
  for (const key of Object.keys(raw)) if (!KNOWN_PARAMETERS.has(key)) return errors.unrecognized(key);
  if (typeof raw.model !== 'string' || raw.model === '') return errors.missingModel();
  if (raw.messages === undefined) return errors.missing('messages');
  if (!Array.isArray(raw.messages)) return errors.invalid('messages', 'expected an array.', 'invalid_type');
  if (raw.messages.length === 0) {
    const detail = 'Expected an array with minimum length 1, but got an empty array instead.';
    return errors.invalid('messages', `empty array. ${detail}`, 'empty_array');
  }
  const messages: WireMessage[] = [];
  for (const [index, message] of raw.messages.entries()) {
    const problem = checkMessage(message, index);
    if (problem) return problem;
    messages.push(message as WireMessage);
  }
  const order = checkToolOrder(messages);
  if (order) return order;
  const tools = Array.isArray(raw.tools) ? raw.tools : [];
  for (const [index, tool] of tools.entries()) {
    if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function)) {
      return errors.missing(`tools[${index}].function`);
    }
    if (typeof tool.function.name !== 'string' || !FUNCTION_NAME.test(tool.function.name)) {
      return errors.invalid(
        `tools[${index}].function.name`,
        "string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
      );
    }
  }
  if (raw.stream_options !== undefined && raw.stream !== true) {
    return errors.invalid('stream_options', "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
  }
  const range = checkRanges(raw);
  if (range) return range;
  const model =
    findModel(raw.model) ??
    (hostModels.includes(raw.model)
      ? { id: raw.model, chat: true, reasoning: false, created: 1_720_000_000 }
      : undefined);
  if (!model) return errors.modelNotFound(raw.model);
  if (!model.chat) return errors.notChatModel();
  const support = checkModelSupport(raw, model);
  if (support) return support;
  const format = checkResponseFormat(raw.response_format);
  if (format && 'status' in format) return format;
  const limit = raw.max_completion_tokens ?? raw.max_tokens;
  return {
    ...(format ? { jsonSchema: format } : {}),
    body: raw,
    model,
    messages,
    tools: tools as WireTool[],
    stream: raw.stream === true,
    includeUsage: isRecord(raw.stream_options) && raw.stream_options.include_usage === true,
    ...(typeof limit === 'number' ? { maxTokens: limit } : {}),
  };
}

function checkMessage(message: unknown, index: number): ApiError | undefined {
  const at = `messages[${index}]`;
  if (!isRecord(message)) return errors.invalid(at, 'expected an object, but got a string instead.', 'invalid_type');
  if (typeof message.role !== 'string') return errors.missing(`${at}.role`);
  if (!ROLES.includes(message.role)) {
    return errors.invalid(
      `${at}.role`,
      `Invalid value: '${message.role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', ` +
        "and 'developer'.",
    );
  }
  const hasCalls = Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
  if (message.content === undefined || (message.content === null && !hasCalls)) return errors.missing(`${at}.content`);
  if (message.role === 'tool' && typeof message.tool_call_id !== 'string') return errors.missing(`${at}.tool_call_id`);
  if (Array.isArray(message.content)) {
    const parts = checkContentParts(message.role, message.content, at);
    if (parts) return parts;
  }
  for (const [callIndex, call] of (hasCalls ? (message.tool_calls as unknown[]) : []).entries()) {
    const where = `${at}.tool_calls[${callIndex}]`;
    if (!isRecord(call) || typeof call.id !== 'string') return errors.missing(`${where}.id`);
    if (call.type !== 'function') return errors.missing(`${where}.type`);
    if (!isRecord(call.function) || typeof call.function.name !== 'string') {
      return errors.missing(`${where}.function.name`);
    }
    if (typeof call.function.arguments !== 'string') return errors.missing(`${where}.function.arguments`);
  }
  return undefined;
}

/** Every tool message answers a call of the assistant turn before it, and every call gets its answer. */
function checkToolOrder(messages: WireMessage[]): ApiError | undefined {
  let open: { index: number; ids: Set<string> } | undefined;
  for (const [index, message] of messages.entries()) {
    if (message.role === 'tool') {
      if (!open?.ids.delete(message.tool_call_id ?? '')) {
        return errors.invalid(
          `messages.[${index}].role`,
          "messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
        );
      }
      continue;
    }
    if (open && open.ids.size > 0) return unanswered(open);
    open = message.tool_calls?.length ? { index, ids: new Set(message.tool_calls.map((call) => call.id)) } : undefined;
  }
  return open && open.ids.size > 0 ? unanswered(open) : undefined;
}

function unanswered(open: { index: number; ids: Set<string> }): ApiError {
  return errors.invalid(
    `messages.[${open.index}].role`,
    "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. " +
      `The following tool_call_ids did not have response messages: ${[...open.ids].join(', ')}`,
  );
}

// Bounds from the API reference: [parameter, minimum, maximum, integer].
const RANGES: [string, number, number, boolean][] = [
  ['temperature', 0, 2, false],
  ['top_p', 0, 1, false],
  ['frequency_penalty', -2, 2, false],
  ['presence_penalty', -2, 2, false],
  ['max_tokens', 1, Number.MAX_SAFE_INTEGER, true],
  ['max_completion_tokens', 1, Number.MAX_SAFE_INTEGER, true],
];

function checkRanges(raw: Record<string, unknown>): ApiError | undefined {
  for (const [param, min, max, integer] of RANGES) {
    const value = raw[param];
    if (value === undefined || value === null) continue;
    const kind = integer ? 'integer' : 'decimal';
    if (typeof value !== 'number' || (integer && !Number.isInteger(value))) {
      return errors.invalid(param, `expected ${integer ? 'an integer' : 'a decimal'}.`, 'invalid_type');
    }
    if (value > max) return errors.outOfRange(param, kind, 'max', max, value);
    if (value < min) return errors.outOfRange(param, kind, 'min', min, value);
  }
  if (Array.isArray(raw.stop) && raw.stop.length > 4) {
    const detail = `Expected an array with maximum length 4, but got an array with length ${raw.stop.length} instead.`;
    return errors.invalid('stop', `array too long. ${detail}`, 'array_above_max_length');
  }
  return undefined;
}

function checkModelSupport(raw: Record<string, unknown>, model: FakeModel): ApiError | undefined {
  if (!model.reasoning) {
    return raw.reasoning_effort === undefined ? undefined : errors.unsupported('reasoning_effort');
  }
  if (raw.max_tokens !== undefined) return errors.unsupported('max_tokens', " Use 'max_completion_tokens' instead.");
  if (raw.temperature !== undefined && raw.temperature !== 1) {
    return errors.unsupportedValue('temperature', raw.temperature);
  }
  for (const param of ['top_p', 'frequency_penalty', 'presence_penalty', 'stop']) {
    if (raw[param] !== undefined) return errors.unsupported(param);
  }
  return undefined;
}
