import type { ChatMessage } from '../../plugins/sdk/index.ts';
import type { ConversationMessage } from './protocol.ts';

// A token is about four characters of English text (OpenAI's rule of thumb); good enough to stay inside a
// budget without shipping a tokenizer per provider to the edge.
const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * The stored messages the model gets to see: finished user and assistant messages, newest kept first until the
 * token budget is spent. Failed replies are left out (the model should not imitate an error); a stopped reply stays,
 * since the user saw it. The newest message is always kept, and the system prompt travels separately. The messages
 * themselves are returned (not yet ChatMessages) so their metadata, such as attached images, can still be read.
 */
export function windowMessages(messages: readonly ConversationMessage[], budgetTokens: number): ConversationMessage[] {
  const usable = messages.filter(
    (message) => message.role === 'user' || message.status === 'complete' || message.status === 'stopped',
  );
  const kept: ConversationMessage[] = [];
  let spent = 0;
  for (let i = usable.length - 1; i >= 0; i--) {
    const message = usable[i] as ConversationMessage;
    if (message.role === 'assistant' && message.content === '') continue;
    const cost = estimateTokens(message.content);
    if (kept.length > 0 && spent + cost > budgetTokens) break;
    spent += cost;
    kept.unshift(message);
  }
  // Providers expect the history to open with a user message (Anthropic requires it).
  while (kept.length > 1 && kept[0]?.role !== 'user') kept.shift();
  return kept;
}

/** The windowed history as plain text messages (no images: see images.ts for the model's full view). */
export function windowHistory(messages: readonly ConversationMessage[], budgetTokens: number): ChatMessage[] {
  return windowMessages(messages, budgetTokens).map((message) => ({ role: message.role, content: message.content }));
}
