/**
 * A token estimate without a tokenizer (a BPE vocabulary is megabytes; the chunker only needs sizes roughly right):
 * OpenAI's rule of thumb of ~4 characters per token for English and other alphabetic text
 * (help.openai.com "What are tokens"), and 1 token per character for CJK ideographs, kana and Hangul, which BPE
 * tokenizers split about that finely. It over-counts code and numbers a little, which keeps chunks under the
 * embedding model's input limit rather than over it.
 */
const DENSE_RANGES = '\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff';
const DENSE_SCRIPT = new RegExp(`[${DENSE_RANGES}]`, 'gu');
const DENSE_CHAR = new RegExp(`^[${DENSE_RANGES}]$`, 'u');

export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  const dense = text.match(DENSE_SCRIPT)?.length ?? 0;
  return Math.ceil((text.length - dense) / 4) + dense;
}

/** Whether one character is of a script counted a token per character. */
export function isDenseScript(char: string): boolean {
  return DENSE_CHAR.test(char);
}
