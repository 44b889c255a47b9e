import type { ChatMessage } from '../../plugins/sdk/index.ts';
import { messageText } from '../conversation/inputs.ts';
import { OpenAIError } from './errors.ts';
import type { OpenAIChatMessage } from './schemas.ts';

const text = (content: OpenAIChatMessage['content']): string =>
  typeof content === 'string' ? content : (content ?? []).map((part) => part.text).join('');

/**
 * The model's view of a stateless request: the chatbot's system prompt first, then the client's system and
 * developer messages (the client adds to the chatbot's instructions, never replaces them), then the history.
 */
export function statelessRequest(
  chatbotSystem: string,
  messages: readonly OpenAIChatMessage[],
): { system: string | undefined; messages: ChatMessage[] } {
  const system = [chatbotSystem];
  const history: ChatMessage[] = [];
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'developer') system.push(text(message.content));
    else if (message.role === 'tool')
      history.push({ role: 'tool', toolCallId: message.tool_call_id, content: text(message.content) });
    else if (message.role === 'assistant') {
      const toolCalls = message.tool_calls?.map((call) => ({
        id: call.id,
        name: call.function.name,
        arguments: call.function.arguments,
      }));
      history.push({ role: 'assistant', content: text(message.content), ...(toolCalls?.length && { toolCalls }) });
    } else history.push({ role: 'user', content: text(message.content) });
  }
  if (!history.some((message) => message.role === 'user')) {
    throw new OpenAIError(400, 'invalid_value', 'messages must contain at least one user message', 'messages');
  }
  const joined = system.filter((part) => part.trim() !== '').join('\n\n');
  return { system: joined || undefined, messages: history };
}

/** Continue mode sends only the newest user message; the conversation object holds the rest. */
export function lastUserText(messages: readonly OpenAIChatMessage[]): string {
  const index = messages.findLastIndex((message) => message.role === 'user');
  const message = messages[index];
  if (!message) throw new OpenAIError(400, 'invalid_value', 'messages must contain a user message', 'messages');
  const parsed = messageText.safeParse(text(message.content));
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? 'invalid';
    throw new OpenAIError(400, 'invalid_value', `messages[${index}].content ${reason}`, `messages[${index}].content`);
  }
  return parsed.data;
}
