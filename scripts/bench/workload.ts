/**
 * The benchmark's workload: one question whose offline reply is as close to 200 tokens as the offline provider
 * allows. The reply restates the question (quoted up to 280 characters), so its length is set by how many words the
 * question has; tokens are what `tokenize()` splits the reply into, the same units the provider streams as deltas.
 */

import { offlineReply, tokenize } from '../../plugins/providers/offline/reply.ts';
import type { ChatMessage } from '../../plugins/sdk/index.ts';

export const TARGET_TOKENS = 200;

export interface Workload {
  question: string;
  /** Tokens of the reply to `question` as the first message of a conversation (the count is the same for any turn). */
  replyTokens: number;
  /** True when `replyTokens` is exactly TARGET_TOKENS. */
  exact: boolean;
  /** Why not, when not. */
  note: string;
}

const replyTokens = (question: string, earlier: readonly ChatMessage[] = []) =>
  tokenize(offlineReply([...earlier, { role: 'user', content: question }])).length;

/**
 * The question with the fewest words whose reply has TARGET_TOKENS tokens; when no question reaches it, the one
 * with the longest reply. One-letter words are the densest: each token of the quote costs two characters.
 */
export function buildWorkload(target = TARGET_TOKENS): Workload {
  let best = { question: '', tokens: -1 };
  for (let words = 1; words <= 400; words++) {
    const question = Array.from({ length: words }, (_, i) => 'abcdefghijklmnopqrstuvwxyz'[i % 26]).join(' ');
    const tokens = replyTokens(question);
    if (tokens === target) return { question, replyTokens: tokens, exact: true, note: '' };
    if (tokens > best.tokens) best = { question, tokens };
  }
  // The count must not depend on the turn: "(message N of this conversation)" is one token for any N.
  const later = Array.from(
    { length: 40 },
    (_, i): ChatMessage => ({ role: i % 2 ? 'assistant' : 'user', content: 'x' }),
  );
  if (replyTokens(best.question, later) !== best.tokens) throw new Error('offline reply length depends on the turn');
  const fixed = replyTokens('a') - 1;
  const note =
    `The offline provider cannot produce a ${target}-token reply: it is ${fixed} fixed tokens plus the question's ` +
    `words, and it quotes at most 280 characters of the question, which holds at most ${best.tokens - fixed} words ` +
    `(a word and its space are two characters). The benchmark uses the longest possible reply, ${best.tokens} tokens.`;
  return { question: best.question, replyTokens: best.tokens, exact: false, note };
}
