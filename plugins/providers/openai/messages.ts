import type {
  ChatCompletionContentPart,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat';
import type { ChatMessage, ToolSpec } from '../../sdk/index.ts';
import { baseModelId } from './catalog.ts';

/**
 * Parley's conversation in the Chat Completions format (platform.openai.com/docs/api-reference/chat/create):
 * the system prompt first as a `system` message (reasoning models read it as `developer`, and compatible servers
 * only know `system`), assistant tool requests as `tool_calls`, tool results as `tool` messages with their
 * `tool_call_id`, and a user message's images as `image_url` parts holding a base64 data URL after its text (the
 * vision guide's shape: platform.openai.com/docs/guides/images-vision). Pure: no I/O, so every mapping rule is
 * unit-tested directly.
 */
export function toOpenAIMessages(
  system: string | undefined,
  messages: readonly ChatMessage[],
  model?: string,
): ChatCompletionMessageParam[] {
  const mapped: ChatCompletionMessageParam[] = [];
  const images = model === undefined || acceptsImages(model);
  if (system !== undefined && system.trim() !== '') mapped.push({ role: 'system', content: system });
  for (const [index, message] of messages.entries()) mapped.push(toOpenAIMessage(message, index, images));
  return mapped;
}

// OpenAI models without image input (their pages at platform.openai.com/docs/models), which answer 400 to one.
// Models of other servers are unknown here and get the images: vision is the plugin's declared capability.
const TEXT_ONLY_MODELS = [
  'gpt-3.5-turbo',
  'gpt-4',
  'gpt-4-0314',
  'gpt-4-0613',
  'gpt-4-32k',
  'gpt-4-1106-preview',
  'gpt-4-0125-preview',
  'o1-mini',
  'o3-mini',
];

export function acceptsImages(model: string): boolean {
  const id = baseModelId(model);
  return !TEXT_ONLY_MODELS.some((known) => id === known || (known !== 'gpt-4' && id.startsWith(`${known}-`)));
}

function toOpenAIMessage(message: ChatMessage, index: number, images: boolean): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: images ? userContent(message) : withImageNotes(message) };
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      if (calls.length === 0) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        // The API wants null, not '', when an assistant turn is only tool calls.
        content: message.content === '' ? null : message.content,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        })),
      };
    }
    case 'tool':
      if (!message.toolCallId) {
        // The API would answer 400 "Missing required parameter: 'messages[n].tool_call_id'"; say it earlier.
        throw new Error(`Tool message ${index} has no toolCallId: a tool result must name the call it answers`);
      }
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

/** Plain text, or content parts when the message carries images (an empty text part would be refused). */
function userContent(message: ChatMessage): string | ChatCompletionContentPart[] {
  const images = message.images ?? [];
  if (images.length === 0) return message.content;
  const parts: ChatCompletionContentPart[] = message.content === '' ? [] : [{ type: 'text', text: message.content }];
  for (const image of images) {
    parts.push({ type: 'image_url', image_url: { url: `data:${image.mimeType};base64,${image.data}` } });
  }
  return parts;
}

/** The text, with a note per image for a model that would refuse them: the turn goes on without the pictures. */
function withImageNotes(message: ChatMessage): string {
  const notes = (message.images ?? []).map((image) => `[image omitted: this model does not accept ${image.mimeType}]`);
  return [message.content, ...notes].filter((part) => part !== '').join('\n');
}

/** Parley's tool specs as Chat Completions function tools. */
export function toOpenAITools(tools: readonly ToolSpec[]): ChatCompletionFunctionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
}
