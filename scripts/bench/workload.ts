/**
 * The benchmark's workload: one question whose offline reply is TARGET_TOKENS tokens long. The offline provider's
 * reply restates the question, so the question's word count sets the reply's length; tokens are what `tokenize()`
 * splits the reply into, the same units the provider streams as deltas. Computed, never hard-coded, so the
 * benchmark follows the provider when its reply text changes.
 */

import { offlineReply, tokenize } from '../../plugins/providers/offline/reply.ts';
import type { ChatMessage } from '../../plugins/sdk/index.ts';

export const TARGET_TOKENS = 200;

export interface Workload {
  question: string;
  /** Tokens of the reply to `question`, at any turn of a conversation. */
  replyTokens: number;
  /** True when `replyTokens` is exactly TARGET_TOKENS. */
  exact: boolean;
  /** Why not, when not. */
  note: string;
}

const replyTokens = (question: string, earlier: readonly ChatMessage[] = []) =>
  tokenize(offlineReply([...earlier, { role: 'user', content: question }])).length;

/**
 * The question with the fewest words whose reply has `target` tokens; when no question reaches it (the provider
 * quotes only so much of a question), the one with the longest reply. One-letter words are the densest.
 */
export function buildWorkload(target = TARGET_TOKENS): Workload {
  let best = { question: '', tokens: -1 };
  for (let words = 1; words <= 1000; words++) {
    const question = Array.from({ length: words }, (_, i) => 'abcdefghijklmnopqrstuvwxyz'[i % 26]).join(' ');
    const tokens = replyTokens(question);
    if (tokens === target) {
      best = { question, tokens };
      break;
    }
    if (tokens > best.tokens) best = { question, tokens };
  }
  // Every turn must stream the same count: "(message N of this conversation)" has to stay one token for any N.
  const later = Array.from(
    { length: 60 },
    (_, i): ChatMessage => ({ role: i % 2 ? 'assistant' : 'user', content: 'x' }),
  );
  if (replyTokens(best.question, later) !== best.tokens) throw new Error('offline reply length depends on the turn');
  if (best.tokens === target) return { question: best.question, replyTokens: target, exact: true, note: '' };
  const fixed = replyTokens('a') - 1;
  const note =
    `The offline provider cannot produce a ${target}-token reply: its reply is ${fixed} fixed tokens plus the ` +
    `question's words, and it quotes at most ${best.tokens - fixed} words of a question. ` +
    `The benchmark uses the longest reply it can get, ${best.tokens} tokens.`;
  return { question: best.question, replyTokens: best.tokens, exact: false, note };
}
