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
  let count = 0;
  for (const message of messages) count += tokenCount(message.content);
  return count;
}

/**
 * `tokenize(text).length` without building the array: a token starts where a run of non-space begins, and text that
 * opens with whitespace has one more (its leading run). Counting the whole history this way on every turn, instead of
 * splitting it, took the provider's share of a benchmark turn from ≈ 4 % to near nothing (bench/README.md, m12-cpu).
 */
export function tokenCount(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return text.length > 0 && isSpace(text.charCodeAt(0)) ? count + 1 : count;
}

/** Exactly the characters `\s` matches (ECMAScript WhiteSpace and LineTerminator). */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}
