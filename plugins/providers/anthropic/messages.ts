import type {
  Base64ImageSource,
  ContentBlockParam,
  ImageBlockParam,
  MessageParam,
  TextBlockParam,
  Tool,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage, ImagePart, ToolSpec } from '../../sdk/index.ts';

export interface AnthropicPrompt {
  /** Client tools the model may call; absent when the chatbot offers none. */
  tools?: Tool[];
  /** Top-level `system`; absent when there is no system text at all. */
  system?: string;
  messages: MessageParam[];
}

/**
 * Maps Parley's conversation to the Messages API request shape. Pure: no I/O, no SDK client.
 *
 * - The system prompt and any `system` messages go to the top-level `system` field: mid-conversation system turns
 *   are accepted only by some models, the top-level field by all.
 * - A user message's images become base64 `image` blocks placed before its text, the order the vision guide
 *   recommends (platform.claude.com/docs/en/build-with-claude/vision).
 * - An assistant turn that asked for tools becomes `text` + `tool_use` blocks.
 * - `tool` messages become `tool_result` blocks in a user turn, which must directly follow the assistant turn with the
 *   matching `tool_use` blocks; consecutive results (and a user message after them) share that one user turn.
 * - Tools become client tools whose `input_schema` is the tool's JSON Schema, typed `object` as the API requires.
 */
export function toAnthropicPrompt(
  system: string | undefined,
  messages: readonly ChatMessage[],
  tools: readonly ToolSpec[] = [],
): AnthropicPrompt {
  const systemParts = [system ?? '', ...messages.filter((m) => m.role === 'system').map((m) => m.content)];
  const systemText = systemParts
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join('\n\n');
  const mapped: MessageParam[] = [];
  for (const message of messages) {
    const turn = toTurn(message);
    if (turn) appendTurn(mapped, turn);
  }
  const prompt: AnthropicPrompt = { messages: mapped };
  if (systemText !== '') prompt.system = systemText;
  if (tools.length > 0) prompt.tools = tools.map(toTool);
  return prompt;
}

/** A tool definition; `input_schema` must be a JSON Schema whose `type` is `object`. */
function toTool(spec: ToolSpec): Tool {
  return { name: spec.name, description: spec.description, input_schema: { ...spec.parameters, type: 'object' } };
}

interface Turn {
  role: 'user' | 'assistant';
  blocks: ContentBlockParam[];
}

function toTurn(message: ChatMessage): Turn | undefined {
  switch (message.role) {
    case 'system':
      return undefined;
    case 'user': {
      const images = (message.images ?? []).map(toImageBlock);
      if (images.length === 0) return textTurn('user', message.content);
      return { role: 'user', blocks: [...images, ...(message.content === '' ? [] : [textBlock(message.content)])] };
    }
    case 'assistant': {
      const calls = (message.toolCalls ?? []).map(toToolUse);
      const text = message.content === '' ? [] : [textBlock(message.content)];
      // The API rejects an assistant turn with no content; an empty one carries nothing worth keeping.
      return text.length + calls.length === 0 ? undefined : { role: 'assistant', blocks: [...text, ...calls] };
    }
    case 'tool': {
      if (message.toolCallId === undefined) return textTurn('user', message.content);
      const result: ToolResultBlockParam = {
        type: 'tool_result',
        tool_use_id: message.toolCallId,
        content: message.content,
      };
      return { role: 'user', blocks: [result] };
    }
  }
}

function textTurn(role: 'user' | 'assistant', content: string): Turn | undefined {
  // Text blocks must be non-empty (a 400 otherwise), so an empty message is dropped rather than sent.
  return content === '' ? undefined : { role, blocks: [textBlock(content)] };
}

// The media types the Messages API accepts for base64 images (Base64ImageSource.media_type).
const IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

/** A base64 image block; a type the API would refuse travels as a text note instead of failing the request. */
function toImageBlock(image: ImagePart): ImageBlockParam | TextBlockParam {
  if (!IMAGE_TYPES.includes(image.mimeType)) return textBlock(`[image omitted: ${image.mimeType} is not supported]`);
  const source: Base64ImageSource = {
    type: 'base64',
    media_type: image.mimeType as Base64ImageSource['media_type'],
    data: image.data,
  };
  return { type: 'image', source };
}

function textBlock(text: string): TextBlockParam {
  return { type: 'text', text };
}

function toToolUse(call: { id: string; name: string; arguments: string }): ToolUseBlockParam {
  return { type: 'tool_use', id: call.id, name: call.name, input: parseArguments(call.arguments) };
}

/** `tool_use.input` must be an object; arguments that are not a JSON object (a truncated call) are sent as `{}`. */
function parseArguments(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json === '' ? '{}' : json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** Same-role turns in a row are merged: tool results must share one user turn, ahead of any text in it. */
function appendTurn(mapped: MessageParam[], turn: Turn): void {
  const previous = mapped.at(-1);
  if (previous && previous.role === turn.role) {
    const earlier = typeof previous.content === 'string' ? [textBlock(previous.content)] : previous.content;
    previous.content = [...earlier, ...turn.blocks];
    return;
  }
  // A lone text block travels as a plain string, the API's shorthand and what its examples send.
  const [only] = turn.blocks;
  const single = turn.blocks.length === 1 && only?.type === 'text';
  mapped.push({ role: turn.role, content: single ? only.text : [...turn.blocks] });
}
