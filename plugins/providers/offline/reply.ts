import type { ChatMessage } from '../../sdk/index.ts';

/**
 * The offline provider's whole "model": a pure function from the conversation to a reply. Deterministic, so the
 * demo, the tests and the benchmark always see the same text for the same input.
 */
export const MAX_QUOTE_CHARS = 600;

export function offlineReply(messages: readonly ChatMessage[]): string {
  const userMessages = messages.filter((message) => message.role === 'user');
  const question = userMessages.at(-1)?.content.trim() ?? '';
  // Long enough to quote a paragraph (the benchmark streams 200-token replies), short enough to stay a demo.
  const quoted = question.length > MAX_QUOTE_CHARS ? `${question.slice(0, MAX_QUOTE_CHARS - 1)}…` : question;
  const turn = userMessages.length;
  return [
    `You said: “${quoted}”.`,
    `I'm Parley's offline demo provider (message ${turn} of this conversation), so no language model read it.`,
    'To answer for real I would need a model to understand the question, reason about it and reply in my own words:',
    'add an OpenAI, Anthropic or Gemini API key as a credential in the dashboard and pick it in this chatbot’s settings (a key put in `.dev.vars` is read only when `npm run reset && npm start` seeds again).',
  ].join(' ');
}

/** Splits text into stream tokens: each word with the whitespace that follows it, so joining them is lossless. */
export function tokenize(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** A rough token count (words), good enough for the offline provider's usage figures. */
export function countTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + tokenize(message.content).length, 0);
}
