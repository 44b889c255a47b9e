/**
 * Request checks of `POST /v1/messages`, answering the API's own `invalid_request_error` messages (field path, colon,
 * reason) so a plugin that sends a wrong shape fails here as it would against Claude.
 */
import { imageProblem } from '../../../sdk/fake/images.ts';
import { maxOutputTokens } from './catalog.ts';
import { type ApiError, apiError, invalidRequest } from './wire.ts';

export interface Block {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: unknown;
  source?: { type: string; media_type?: string; data?: string };
}

export interface WireMessage {
  role: 'user' | 'assistant';
  blocks: Block[];
}

export interface WireTool {
  name: string;
  input_schema: { type: 'object'; properties?: Record<string, { type?: string }> };
}

export interface MessagesRequest {
  model: string;
  maxTokens: number;
  system: string;
  messages: WireMessage[];
  tools: WireTool[];
  stopSequences: string[];
  /** `tool_choice` as sent; `{ type: 'tool', name }` forces that tool (how structured output is asked for). */
  toolChoice?: { type: 'auto' | 'any' | 'tool' | 'none'; name?: string };
}

const FIELDS = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'stream',
  'stop_sequences',
  'tools',
  'tool_choice',
  'metadata',
  'output_config',
  'thinking',
  'service_tier',
  'cache_control',
  'container',
  'diagnostics',
  'inference_geo',
  'speed',
]);
// Removed in 2026-10-21 (a 400 even at default values); still accepted by 2023-06-01.
const SAMPLING = ['temperature', 'top_p', 'top_k'];
const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'];
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The request, or the error the API would answer. `version` is the request's `anthropic-version`. */
export function validateMessages(body: unknown, version: string): MessagesRequest | ApiError {
  if (!isObject(body)) return invalidRequest('Input should be a valid dictionary or object to extract fields from');
  for (const key of Object.keys(body)) {
    const allowed = FIELDS.has(key) || (version === '2023-06-01' && SAMPLING.includes(key));
    if (!allowed) return invalidRequest(`${key}: Extra inputs are not permitted`);
  }
  for (const key of ['model', 'max_tokens', 'messages']) {
    if (!(key in body)) return invalidRequest(`${key}: Field required`);
  }
  const { model, max_tokens: maxTokens, messages } = body;
  if (typeof model !== 'string' || model === '') return invalidRequest('model: Input should be a valid string');
  const limit = maxOutputTokens(model);
  if (limit === undefined) return apiError(404, 'not_found_error', `model: ${model}`);
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens)) {
    return invalidRequest('max_tokens: Input should be a valid integer');
  }
  if (maxTokens < 1) return invalidRequest('max_tokens: Input should be greater than or equal to 1');
  if (maxTokens > limit) {
    const reason = `which is the maximum allowed number of output tokens for ${model}`;
    return invalidRequest(`max_tokens: ${maxTokens} > ${limit}, ${reason}`);
  }
  if (body.stream !== true) return invalidRequest('stream: this fake serves only streaming requests (stream: true)');
  const system = systemText(body.system);
  if (typeof system !== 'string') return system;
  const parsed = parseMessages(messages);
  if (!Array.isArray(parsed)) return parsed;
  const tools = parseTools(body.tools);
  if (!Array.isArray(tools)) return tools;
  const stops = body.stop_sequences ?? [];
  if (!Array.isArray(stops) || !stops.every((stop) => typeof stop === 'string')) {
    return invalidRequest('stop_sequences: Input should be a valid list of strings');
  }
  if (stops.some((stop) => !/\S/.test(stop))) {
    return invalidRequest('stop_sequences: each stop sequence must contain non-whitespace');
  }
  const effort = isObject(body.output_config) ? body.output_config.effort : undefined;
  if (effort !== undefined && !EFFORTS.includes(String(effort))) {
    return invalidRequest(`output_config.effort: Input should be ${EFFORTS.map((e) => `'${e}'`).join(', ')}`);
  }
  const toolChoice = parseToolChoice(body.tool_choice, tools, body.thinking);
  if (toolChoice !== undefined && 'status' in toolChoice) return toolChoice;
  return { model, maxTokens, system, messages: parsed, tools, stopSequences: stops, ...(toolChoice && { toolChoice }) };
}

const CHOICES = ['auto', 'any', 'tool', 'none'];

/** platform.claude.com/docs/en/agents-and-tools/tool-use/implement-tool-use#forcing-tool-use */
function parseToolChoice(
  raw: unknown,
  tools: readonly WireTool[],
  thinking: unknown,
): MessagesRequest['toolChoice'] | ApiError {
  if (raw === undefined) return undefined;
  if (!isObject(raw) || !CHOICES.includes(String(raw.type))) {
    return invalidRequest(
      `tool_choice: Input tag '${String(isObject(raw) ? raw.type : raw)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`,
    );
  }
  const type = raw.type as 'auto' | 'any' | 'tool' | 'none';
  if (type === 'tool') {
    if (typeof raw.name !== 'string') return invalidRequest('tool_choice.tool.name: Field required');
    if (!tools.some((tool) => tool.name === raw.name)) {
      return invalidRequest(`tool_choice.name: Tool '${raw.name}' not found in provided tools`);
    }
  }
  const thinkingOn = isObject(thinking) && thinking.type === 'enabled';
  if (thinkingOn && (type === 'tool' || type === 'any')) {
    return invalidRequest('Thinking may not be enabled when tool_choice forces tool use.');
  }
  return typeof raw.name === 'string' ? { type, name: raw.name } : { type };
}

function systemText(system: unknown): string | ApiError {
  if (system === undefined) return '';
  if (typeof system === 'string') return system;
  if (Array.isArray(system) && system.every((block) => isObject(block) && typeof block.text === 'string')) {
    return system.map((block) => (block as { text: string }).text).join('\n');
  }
  return invalidRequest('system: Input should be a valid string or a list of text blocks');
}

function parseMessages(messages: unknown): WireMessage[] | ApiError {
  if (!Array.isArray(messages)) return invalidRequest('messages: Input should be a valid list');
  if (messages.length === 0) return invalidRequest('messages: at least one message is required');
  const parsed: WireMessage[] = [];
  for (const [index, message] of messages.entries()) {
    const path = `messages.${index}`;
    if (!isObject(message)) return invalidRequest(`${path}: Input should be a valid dictionary`);
    if (message.role !== 'user' && message.role !== 'assistant') {
      return invalidRequest(`${path}.role: Input should be 'user' or 'assistant'`);
    }
    const blocks = parseContent(message.content, message.role, path);
    if (!Array.isArray(blocks)) return blocks;
    parsed.push({ role: message.role, blocks });
  }
  return checkToolPairs(parsed) ?? parsed;
}

function parseContent(content: unknown, role: 'user' | 'assistant', path: string): Block[] | ApiError {
  const blocks = typeof content === 'string' ? [{ type: 'text', text: content }] : content;
  if (!Array.isArray(blocks) || blocks.length === 0) {
    return invalidRequest(`${path}.content: Input should be a non-empty string or list of content blocks`);
  }
  for (const [index, block] of blocks.entries()) {
    const at = `${path}.content.${index}`;
    if (!isObject(block) || typeof block.type !== 'string') return invalidRequest(`${at}.type: Field required`);
    if (block.type === 'text' && (typeof block.text !== 'string' || block.text === '')) {
      return invalidRequest(`${path}: text content blocks must be non-empty`);
    }
    if (block.type === 'tool_use') {
      if (role !== 'assistant') return invalidRequest(`${at}: tool_use blocks are only allowed in assistant messages`);
      if (typeof block.id !== 'string' || typeof block.name !== 'string' || !isObject(block.input)) {
        return invalidRequest(`${at}: tool_use blocks need a string id, a string name and an object input`);
      }
    }
    if (block.type === 'tool_result') {
      if (role !== 'user') return invalidRequest(`${at}: tool_result blocks are only allowed in user messages`);
      if (typeof block.tool_use_id !== 'string') return invalidRequest(`${at}.tool_use_id: Field required`);
    }
    if (block.type === 'image') {
      const problem = checkImage(block.source, role, at);
      if (problem) return problem;
    }
    if (!['text', 'image', 'document', 'tool_use', 'tool_result', 'thinking'].includes(block.type)) {
      return invalidRequest(
        `${at}.type: Input tag '${block.type}' found using 'type' does not match any expected tags`,
      );
    }
  }
  return blocks as Block[];
}

const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
// "Maximum image size: 5 MB" per image on the API (platform.claude.com/docs/en/build-with-claude/vision).
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** A base64 image block (the only source the fake serves): a known media type, and bytes that really are it. */
function checkImage(source: unknown, role: 'user' | 'assistant', at: string): ApiError | undefined {
  if (role !== 'user') return invalidRequest(`${at}: image blocks are only allowed in user messages`);
  if (!isObject(source) || source.type !== 'base64') {
    return invalidRequest(`${at}.image.source: this fake accepts only base64 image sources`);
  }
  const where = `${at}.image.source.base64`;
  if (typeof source.media_type !== 'string' || !MEDIA_TYPES.includes(source.media_type)) {
    return invalidRequest(
      `${where}.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`,
    );
  }
  if (typeof source.data !== 'string') return invalidRequest(`${where}.data: Field required`);
  const problem = imageProblem(source.media_type, source.data);
  if (problem) return invalidRequest(`${where}: ${problem}`);
  const bytes = Buffer.byteLength(source.data, 'base64');
  if (bytes > MAX_IMAGE_BYTES)
    return invalidRequest(`${where}: image exceeds 5 MB maximum: ${bytes} bytes > ${MAX_IMAGE_BYTES} bytes`);
  return undefined;
}

/** Every `tool_use` needs its `tool_result` in the very next message, and every result a call just before it. */
function checkToolPairs(messages: readonly WireMessage[]): ApiError | undefined {
  for (const [index, message] of messages.entries()) {
    const previous = messages[index - 1];
    const calls = previous?.role === 'assistant' ? previous.blocks.filter((b) => b.type === 'tool_use') : [];
    const results = message.blocks.filter((block) => block.type === 'tool_result');
    const orphans = results.filter((result) => !calls.some((call) => call.id === result.tool_use_id));
    if (orphans.length > 0) {
      const ids = orphans.map((result) => result.tool_use_id).join(', ');
      const rule = 'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.';
      return invalidRequest(
        `messages.${index}.content.0: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${ids}. ${rule}`,
      );
    }
    const next = messages[index + 1];
    const answered = next?.blocks.filter((block) => block.type === 'tool_result').map((b) => b.tool_use_id) ?? [];
    const pending = message.blocks.filter((b) => b.type === 'tool_use' && !answered.includes(b.id));
    // A final assistant turn may end with a call: the API then continues it. Anywhere else it must be answered.
    if (pending.length > 0 && next !== undefined) {
      const ids = pending.map((call) => call.id).join(', ');
      const rule = 'Each `tool_use` block must have a corresponding `tool_result` block in the next message.';
      const found = `\`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${ids}`;
      return invalidRequest(`messages.${index}: ${found}. ${rule}`);
    }
  }
  return undefined;
}

function parseTools(tools: unknown): WireTool[] | ApiError {
  if (tools === undefined) return [];
  if (!Array.isArray(tools)) return invalidRequest('tools: Input should be a valid list');
  for (const [index, tool] of tools.entries()) {
    if (!isObject(tool) || typeof tool.name !== 'string' || !/^[a-zA-Z0-9_-]{1,128}$/.test(tool.name)) {
      return invalidRequest(`tools.${index}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
    }
    if (!isObject(tool.input_schema) || tool.input_schema.type !== 'object') {
      return invalidRequest(`tools.${index}.custom.input_schema.type: Input should be 'object'`);
    }
  }
  return tools as WireTool[];
}
