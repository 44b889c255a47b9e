import type { ChatMessage } from '../../sdk/index.ts';
import type { HistoryBound } from './settings.ts';

/**
 * History windowing, pure. The token rule is worker/conversation/history.ts's algorithm (copied: plugins cannot
 * import the worker) applied to chat messages: newest kept first until the budget is spent, the newest message always
 * kept, and the window opening with a user message (Anthropic requires it).
 */

// A token is about four characters of English text (OpenAI's rule of thumb), as in worker/conversation/history.ts.
const CHARS_PER_TOKEN = 4;
/** v1's default budget for chatbots that set none. */
export const DEFAULT_TOKEN_BUDGET = 12_000;

export function messageText(message: ChatMessage): string {
  const content = message.content as unknown;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string' ? part.text : '',
    )
    .join('');
}

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export interface Window {
  /** The messages the model sees, oldest first. */
  kept: ChatMessage[];
  /** How many of the oldest messages fell out of the window. */
  dropped: number;
}

function openWithUser(messages: ChatMessage[], start: number): number {
  let first = start;
  while (messages.length - first > 1 && messages[first]?.role !== 'user') first++;
  return first;
}

/** Newest first until `budget` estimated tokens are spent; empty assistant messages are left out. */
export function windowByTokens(messages: readonly ChatMessage[], budget: number): Window {
  const usable = messages.filter((message) => !(message.role === 'assistant' && messageText(message) === ''));
  let spent = 0;
  let start = usable.length;
  for (let i = usable.length - 1; i >= 0; i--) {
    const cost = estimateTokens(messageText(usable[i] as ChatMessage));
    if (start < usable.length && spent + cost > budget) break;
    spent += cost;
    start = i;
  }
  const first = openWithUser(usable, start);
  return { kept: usable.slice(first), dropped: messages.length - (usable.length - first) };
}

/** The newest `last` messages (opening with a user message). */
export function windowByCount(messages: readonly ChatMessage[], last: number): Window {
  const all = [...messages];
  const first = openWithUser(all, Math.max(0, all.length - last));
  return { kept: all.slice(first), dropped: first };
}

export function windowHistory(messages: readonly ChatMessage[], bound: HistoryBound): Window {
  return bound.type === 'messages' ? windowByCount(messages, bound.last) : windowByTokens(messages, bound.budget);
}
