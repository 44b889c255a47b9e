/**
 * What the fake answers to a valid `POST /v1/messages`, chosen by the requested model:
 *
 * - any catalog model, `fake-echo`: streams the last user message back word by word; honours `max_tokens` (one word
 *   is one token, stop_reason `max_tokens`) and `stop_sequences` (stop_reason `stop_sequence`). When the request
 *   holds images, the reply first says what it saw: "I see 1 image (image/png)."
 * - `fake-tool`: a text block, then one `tool_use` per offered tool (at most two) with arguments streamed as
 *   `input_json_delta` fragments; once the last message holds tool results, a text reply quoting them.
 * - `fake-length`: at most three words, then stop_reason `max_tokens` whatever `max_tokens` says.
 * - `fake-refusal`: a short text, then stop_reason `refusal` with `stop_details`.
 * - `fake-overloaded`: two words, then an `event: error` frame (overloaded_error) and the end of the body.
 * - `fake-slow`: waits 2 s before the first frame, then echoes.
 * - `fake-stall`: one word, then nothing until the client disconnects.
 * - `fake-429-once`: 429 with `retry-after: 0` on the first request of a conversation, then echoes.
 * - `fake-500`, `fake-400`: that HTTP error, every time.
 * - any other model with `tool_choice: { type: 'tool', name }` (structured output): one `tool_use` of that tool,
 *   no text, whose input is a JSON value satisfying its `input_schema` (the SDK's sampleJson), stop_reason tool_use.
 */
import { describeImages } from '../../../sdk/fake/images.ts';
import { sampleJson } from '../../../sdk/json-sample.ts';
import type { Block, MessagesRequest, WireMessage, WireTool } from './validate.ts';
import { type ApiError, apiError, type Frame, invalidRequest, stableId, words } from './wire.ts';

export type Plan =
  | { kind: 'error'; error: ApiError }
  | { kind: 'stream'; frames: Frame[]; delayMs?: number; stallAtEnd?: boolean };

/** `seed` makes ids stable per request; `firstAttempt` is true for a conversation's first request. */
export function planReply(request: MessagesRequest, seed: string, firstAttempt: boolean): Plan {
  const reply = new Reply(request, seed);
  const forced = request.toolChoice?.type === 'tool' ? request.toolChoice.name : undefined;
  // Structured output: a forced tool answers with that tool's input, whatever the model (bar the HTTP errors).
  if (forced !== undefined && request.model !== 'fake-500' && request.model !== 'fake-400') {
    return { kind: 'stream', frames: reply.forced(forced) };
  }
  switch (request.model) {
    case 'fake-500':
      return { kind: 'error', error: apiError(500, 'api_error', 'Internal server error') };
    case 'fake-400':
      return { kind: 'error', error: invalidRequest('prompt is too long: 1000001 tokens > 1000000 maximum') };
    case 'fake-429-once':
      if (firstAttempt) return { kind: 'error', error: rateLimited() };
      return { kind: 'stream', frames: reply.echo() };
    case 'fake-slow':
      return { kind: 'stream', frames: reply.echo(), delayMs: 2000 };
    case 'fake-length':
      return { kind: 'stream', frames: reply.text(words(lastUserText(request)).slice(0, 3), 'max_tokens') };
    case 'fake-refusal':
      return { kind: 'stream', frames: reply.text(words("I can't help with that request."), 'refusal') };
    case 'fake-tool':
      return { kind: 'stream', frames: reply.tool() };
    case 'fake-overloaded': {
      const frames = reply.echo().slice(0, 5); // message_start, block start, ping, two words
      const error = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
      return { kind: 'stream', frames: [...frames, { event: 'error', data: error }] };
    }
    case 'fake-stall':
      return { kind: 'stream', frames: reply.echo().slice(0, 4), stallAtEnd: true };
    default:
      return { kind: 'stream', frames: reply.echo() };
  }
}

function rateLimited(): ApiError {
  const message =
    'This request would exceed the rate limit for your organization of 50 requests per minute. ' +
    'For details, refer to: https://docs.claude.com/en/api/rate-limits.';
  return apiError(429, 'rate_limit_error', message, {
    'retry-after': '0',
    'anthropic-ratelimit-requests-limit': '50',
    'anthropic-ratelimit-requests-remaining': '0',
    'anthropic-ratelimit-requests-reset': new Date(Date.now() + 1000).toISOString(),
  });
}

type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

/** Builds the frames of one streamed message, in the order the API sends them. */
class Reply {
  private readonly inputTokens: number;

  constructor(
    private readonly request: MessagesRequest,
    private readonly seed: string,
  ) {
    const texts = [request.system, ...request.messages.flatMap((message) => message.blocks.map(blockText))];
    this.inputTokens = texts.reduce((sum, text) => sum + words(text).length, 0);
  }

  echo(): Frame[] {
    let text = lastUserText(this.request);
    const images = imageTypes(this.request);
    // What the model saw comes first, so a test can read from the reply which images arrived.
    if (images.length > 0) text = text === '' ? describeImages(images) : `${describeImages(images)} ${text}`;
    let stop: string | null = null;
    // The earliest stop sequence in the text wins; the reply ends just before it.
    const hits = this.request.stopSequences.map((sequence) => ({ sequence, at: text.indexOf(sequence) }));
    const first = hits.filter((hit) => hit.at >= 0).sort((a, b) => a.at - b.at)[0];
    if (first) [text, stop] = [text.slice(0, first.at), first.sequence];
    const tokens = words(text);
    const emitted = tokens.slice(0, this.request.maxTokens);
    const reason = emitted.length < tokens.length ? 'max_tokens' : stop === null ? 'end_turn' : 'stop_sequence';
    return this.text(emitted, reason, stop);
  }

  text(pieces: string[], reason: StopReason, stopSequence: string | null = null): Frame[] {
    return [
      this.start(),
      ...textBlock(0, pieces),
      this.delta(reason, pieces.length, stopSequence),
      { event: 'message_stop', data: { type: 'message_stop' } },
    ];
  }

  tool(): Frame[] {
    const last = this.request.messages.at(-1);
    const results = last?.role === 'user' ? last.blocks.filter((block) => block.type === 'tool_result') : [];
    if (results.length > 0) return this.text(words(`Tool results: ${results.map(blockText).join('; ')}`), 'end_turn');
    if (this.request.tools.length === 0) return this.text(words('No tools were offered.'), 'end_turn');
    const intro = words('Let me look that up.');
    const calls = this.request.tools.slice(0, 2).map((tool, index) => {
      const id = stableId('toolu', `${this.seed}:${index}`);
      return { id, name: tool.name, json: JSON.stringify(toolArguments(tool, lastUserText(this.request))) };
    });
    // Output tokens: the words of the text, plus roughly four characters per token of tool input.
    const output = intro.length + calls.reduce((sum, call) => sum + Math.ceil(call.json.length / 4), 0);
    return [
      this.start(),
      ...textBlock(0, intro),
      ...calls.flatMap((call, index) => toolBlock(index + 1, call)),
      this.delta('tool_use', output, null),
      { event: 'message_stop', data: { type: 'message_stop' } },
    ];
  }

  /** A forced tool (structured output): no text first, one tool_use whose input satisfies the tool's schema. */
  forced(name: string): Frame[] {
    const tool = this.request.tools.find((candidate) => candidate.name === name);
    const json = JSON.stringify(sampleJson(tool?.input_schema ?? {}, lastUserText(this.request)));
    const call = { id: stableId('toolu', `${this.seed}:forced`), name, json };
    return [
      this.start(),
      ...toolBlock(0, call),
      this.delta('tool_use', Math.ceil(json.length / 4), null),
      { event: 'message_stop', data: { type: 'message_stop' } },
    ];
  }

  private start(): Frame {
    const usage = {
      input_tokens: this.inputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      // The API reports a small placeholder here; the real count comes in message_delta.
      output_tokens: 1,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: 'standard',
      inference_geo: 'global',
      speed: null,
    };
    const message = {
      id: stableId('msg', this.seed),
      type: 'message',
      role: 'assistant',
      model: this.request.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      stop_details: null,
      container: null,
      diagnostics: null,
      usage,
    };
    return { event: 'message_start', data: { type: 'message_start', message } };
  }

  private delta(reason: StopReason, outputTokens: number, stopSequence: string | null): Frame {
    const details = reason === 'refusal' ? { type: 'refusal', category: null, explanation: null } : null;
    const usage = {
      input_tokens: this.inputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: outputTokens,
      output_tokens_details: null,
      server_tool_use: null,
    };
    const delta = { stop_reason: reason, stop_sequence: stopSequence, stop_details: details, container: null };
    return { event: 'message_delta', data: { type: 'message_delta', delta, usage } };
  }
}

function textBlock(index: number, pieces: readonly string[]): Frame[] {
  const start = { type: 'content_block_start', index, content_block: { type: 'text', text: '' } };
  return [
    { event: 'content_block_start', data: start },
    // The API interleaves pings; the first one typically follows the first block start.
    ...(index === 0 ? [{ event: 'ping', data: { type: 'ping' } }] : []),
    ...pieces.map((text) => ({
      event: 'content_block_delta',
      data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text } },
    })),
    { event: 'content_block_stop', data: { type: 'content_block_stop', index } },
  ];
}

function toolBlock(index: number, call: { id: string; name: string; json: string }): Frame[] {
  const block = { type: 'tool_use', id: call.id, name: call.name, input: {}, caller: { type: 'direct' } };
  // Like the API: an empty first fragment, then the JSON in pieces that split keys and values mid-token.
  const fragments = ['', ...(call.json.match(/[\s\S]{1,7}/g) ?? [])];
  return [
    { event: 'content_block_start', data: { type: 'content_block_start', index, content_block: block } },
    ...fragments.map((partial_json) => ({
      event: 'content_block_delta',
      data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } },
    })),
    { event: 'content_block_stop', data: { type: 'content_block_stop', index } },
  ];
}

/** Arguments that fit the tool's schema: strings get the user's question, numbers 42, booleans true. */
function toolArguments(tool: WireTool, question: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(tool.input_schema.properties ?? {})) {
    if (property.type === 'string') values[key] = question;
    else if (property.type === 'number' || property.type === 'integer') values[key] = 42;
    else if (property.type === 'boolean') values[key] = true;
  }
  return values;
}

/** The media type of every image block in the request, in order. */
function imageTypes(request: MessagesRequest): string[] {
  return request.messages.flatMap((message) =>
    message.blocks.flatMap((block) => (block.type === 'image' ? [block.source?.media_type ?? ''] : [])),
  );
}

export function lastUserText(request: { messages: readonly WireMessage[] }): string {
  const users = request.messages.filter((message) => message.role === 'user');
  for (const message of users.reverse()) {
    const text = message.blocks
      .filter((block) => block.type === 'text')
      .map(blockText)
      .join(' ');
    if (text.trim() !== '') return text;
  }
  return '';
}

function blockText(block: Block): string {
  if (block.type === 'text') return block.text ?? '';
  if (block.type === 'tool_result') {
    if (typeof block.content === 'string') return block.content;
    if (Array.isArray(block.content)) {
      return block.content.map((part: { text?: unknown }) => (typeof part.text === 'string' ? part.text : '')).join('');
    }
  }
  return '';
}
