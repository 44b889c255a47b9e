/**
 * What the fake "model" answers, as the list of stream chunks the real API would send for it: a first chunk with
 * the role, content (or tool-call) deltas, a chunk with the finish reason and an empty delta, then, when asked
 * with `stream_options.include_usage`, a usage chunk with no choices.
 */
import { createHash } from 'node:crypto';
import { describeImages } from '../../../sdk/fake/images.ts';
import { inlineImageTypes } from './content-parts.ts';
import { structuredAnswer } from './structured.ts';
import type { CompletionRequest, WireMessage, WireTool } from './validate.ts';
import type { ChunkChoice } from './wire.ts';
import { chunk } from './wire.ts';

/** Words with the whitespace that follows them, so the deltas join back into the exact text. */
export const words = (text: string): string[] => text.match(/\S+\s*/g) ?? [];

const textOf = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content
          .map((part: unknown) => (typeof part === 'object' && part && 'text' in part ? String(part.text) : ''))
          .join(' ')
      : '';

/** Deterministic per conversation, like nothing in the real API, so equal requests stream equal chunks. */
export function conversationKey(request: CompletionRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([request.model.id, request.messages]))
    .digest('hex');
}

export function reply(request: CompletionRequest): Record<string, unknown>[] {
  const id = `chatcmpl-${conversationKey(request).slice(0, 29)}`;
  const { messages, tools } = request;
  const last = messages.at(-1);
  let deltas: Record<string, unknown>[];
  let finish = 'stop';
  const scripted = request.model.id === 'fake-script' && last?.role === 'user' ? scriptedCalls(request) : undefined;
  if (request.model.id === 'fake-tool' && last?.role !== 'tool' && tools.length > 0) {
    const text = lastUserText(messages);
    deltas = toolCallDeltas(
      id,
      tools.slice(0, 2).map((tool) => ({ name: tool.function.name, arguments: sampleArguments(tool, text) })),
    );
    finish = 'tool_calls';
  } else if (scripted && scripted.length > 0) {
    deltas = toolCallDeltas(id, scripted);
    finish = 'tool_calls';
  } else {
    const text = request.jsonSchema
      ? structuredAnswer(request.jsonSchema, lastUserText(messages))
      : last?.role === 'tool'
        ? toolResultText(messages, last)
        : request.model.id === 'fake-system'
          ? systemText(messages)
          : userReplyText(messages);
    let tokens = words(text);
    if (request.model.id === 'fake-length') {
      tokens = tokens.slice(0, 2);
      finish = 'length';
    } else if (request.model.id === 'fake-filter') {
      tokens = tokens.slice(0, 1);
      finish = 'content_filter';
    }
    if (request.maxTokens !== undefined && tokens.length > request.maxTokens) {
      tokens = tokens.slice(0, request.maxTokens);
      finish = 'length';
    }
    deltas = tokens.map((content) => ({ content }));
  }
  const choices: ChunkChoice[] = [
    { delta: { role: 'assistant', content: finish === 'tool_calls' ? null : '', refusal: null }, finish_reason: null },
  ];
  const [first, ...rest] = deltas;
  // Like the real API, the first tool-call delta rides on the role chunk; the first word gets its own chunk.
  if (finish === 'tool_calls' && first && choices[0]) Object.assign(choices[0].delta, first);
  for (const delta of finish === 'tool_calls' ? rest : deltas) choices.push({ delta, finish_reason: null });
  choices.push({ delta: {}, finish_reason: finish });
  const chunks = choices.map((choice) => chunk(id, request.model.id, choice, null, request.includeUsage));
  if (request.includeUsage) {
    const usage = { prompt_tokens: promptTokens(messages), completion_tokens: deltas.length };
    chunks.push(chunk(id, request.model.id, null, usage, true));
  }
  return chunks;
}

/** The echo of the last user message, after what the model saw when the request held images. */
function userReplyText(messages: WireMessage[]): string {
  const images = inlineImageTypes(messages);
  const echo = lastUserText(messages);
  if (images.length === 0) return echo || '(empty)';
  return echo ? `${describeImages(images)} ${echo}` : describeImages(images);
}

/** `fake-system` answers with the system (or developer) messages it was sent: a test reads its prompt from the reply. */
function systemText(messages: WireMessage[]): string {
  const system = messages.filter((message) => message.role === 'system' || message.role === 'developer');
  return system.map((message) => textOf(message.content)).join('\n') || '(no system prompt)';
}

function lastUserText(messages: WireMessage[]): string {
  return textOf(messages.findLast((message) => message.role === 'user')?.content).trim();
}

function toolResultText(messages: WireMessage[], result: WireMessage): string {
  const call = messages
    .flatMap((message) => message.tool_calls ?? [])
    .find((candidate) => candidate.id === result.tool_call_id);
  return `Tool ${call?.function.name ?? 'unknown'} returned: ${textOf(result.content)}`;
}

function promptTokens(messages: WireMessage[]): number {
  return messages.reduce((sum, message) => sum + words(textOf(message.content)).length + 1, 0);
}

/**
 * The core adds one "[attachment: name (file_…, type, N bytes)]" line per file to a message's text in the provider
 * history (worker/conversation/images.ts): a script sent with an upload is the text before those lines.
 */
const withoutAttachmentNotes = (text: string): string =>
  text
    .split('\n')
    .filter((line) => !/^\[attachment: .*\]$/.test(line))
    .join('\n');

/** A tool call the fake model makes: the function's name and its arguments. */
export interface ScriptedCall {
  name: string;
  arguments: Record<string, unknown>;
}

/**
 * `fake-script`: the last user message is the script, a JSON array of `{ name, arguments }`; the model calls exactly
 * those tools with exactly those arguments (in parallel, in order), then answers from their results. Calls to tools
 * the request did not offer are dropped, as a model bound to its tool list would; text that is not a script is
 * echoed like `fake-echo`.
 */
function scriptedCalls(request: CompletionRequest): ScriptedCall[] | undefined {
  let script: unknown;
  try {
    script = JSON.parse(withoutAttachmentNotes(lastUserText(request.messages)));
  } catch {
    return undefined;
  }
  if (!Array.isArray(script)) return undefined;
  const offered = new Set(request.tools.map((tool) => tool.function.name));
  return script.filter(
    (call): call is ScriptedCall =>
      typeof call === 'object' &&
      call !== null &&
      typeof call.name === 'string' &&
      offered.has(call.name) &&
      typeof call.arguments === 'object' &&
      call.arguments !== null,
  );
}

/**
 * One delta per call, in order, each as the real API streams it: `{index, id, type, function: {name, arguments: ''}}`
 * first, then the arguments JSON in small fragments carrying only `{index, function: {arguments}}`.
 */
function toolCallDeltas(id: string, calls: readonly ScriptedCall[]): Record<string, unknown>[] {
  const deltas: Record<string, unknown>[] = [];
  for (const [index, call] of calls.entries()) {
    const callId = `call_${id.slice(9, 21)}${index}`;
    deltas.push({
      tool_calls: [{ index, id: callId, type: 'function', function: { name: call.name, arguments: '' } }],
    });
    const json = JSON.stringify(call.arguments);
    for (let at = 0; at < json.length; at += 5) {
      deltas.push({ tool_calls: [{ index, function: { arguments: json.slice(at, at + 5) } }] });
    }
  }
  return deltas;
}

/**
 * Arguments that fit the tool's JSON Schema: an enum gets its first value, strings the user's words, numbers 42,
 * booleans true.
 */
function sampleArguments(tool: WireTool, text: string): Record<string, unknown> {
  const properties = tool.function.parameters?.properties;
  const sample: Record<string, unknown> = {};
  if (typeof properties !== 'object' || properties === null) return sample;
  for (const [name, schema] of Object.entries(properties)) {
    const type = typeof schema === 'object' && schema !== null && 'type' in schema ? schema.type : 'string';
    const choices = typeof schema === 'object' && schema !== null && 'enum' in schema ? schema.enum : undefined;
    sample[name] = Array.isArray(choices)
      ? choices[0]
      : type === 'number' || type === 'integer'
        ? 42
        : type === 'boolean'
          ? true
          : text;
  }
  return sample;
}
