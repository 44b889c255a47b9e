import type { ChatCompletionFunctionTool, ChatCompletionMessageParam } from 'openai/resources/chat';
import type { ChatMessage, ToolSpec } from '../../sdk/index.ts';

/**
 * Parley's conversation in the Chat Completions format (platform.openai.com/docs/api-reference/chat/create):
 * the system prompt first as a `system` message (reasoning models read it as `developer`, and compatible servers
 * only know `system`), assistant tool requests as `tool_calls`, tool results as `tool` messages with their
 * `tool_call_id`. Pure: no I/O, so every mapping rule is unit-tested directly.
 */
export function toOpenAIMessages(
  system: string | undefined,
  messages: readonly ChatMessage[],
): ChatCompletionMessageParam[] {
  const mapped: ChatCompletionMessageParam[] = [];
  if (system !== undefined && system.trim() !== '') mapped.push({ role: 'system', content: system });
  for (const [index, message] of messages.entries()) mapped.push(toOpenAIMessage(message, index));
  return mapped;
}

function toOpenAIMessage(message: ChatMessage, index: number): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: message.content };
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

/** Parley's tool specs as Chat Completions function tools. */
export function toOpenAITools(tools: readonly ToolSpec[]): ChatCompletionFunctionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
}
