/**
 * Words as knowledge keyword search sees them (worker/knowledge/index/fts-query.ts, which a plugin may not import):
 * runs of letters, digits and marks (the FTS5 unicode61 tokenizer's rule, sqlite.org/fts5.html §4.3.1), lower-cased,
 * accents of U+0300–U+036F dropped after NFD, Greek final sigma folded to σ, and every CJK run split into overlapping
 * character pairs (those scripts write no spaces; Lucene's CJKBigramFilter does the same).
 */

const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
/** The same rule for ASCII text, with a plain character class. */
const ASCII_TOKEN = /[a-z0-9]+/g;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC]+/gu;
const COMBINING_DIACRITICS = /[\u0300-\u036f]/g;

/**
 * Only text beyond printable ASCII and tab/newline can hold accents or CJK: the rest skips NFD and the Unicode-class
 * scan (README: measured). Other control characters just take the Unicode path.
 */
const NON_ASCII = /[^ -~\t\n\r]/;

function folded(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(COMBINING_DIACRITICS, '').replaceAll('ς', 'σ').normalize('NFC').toLowerCase();
}

function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  const pairs: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) pairs.push(`${chars[i]}${chars[i + 1]}`);
  return pairs;
}

/** The first `limit` words of `text`, in order. */
export function words(text: string, limit: number): string[] {
  const lower = folded(text);
  const ascii = !NON_ASCII.test(lower);
  const spaced = ascii ? lower : lower.replace(CJK_RUN, (run) => ` ${bigrams(run).join(' ')} `);
  const out: string[] = [];
  for (const [token] of spaced.matchAll(ascii ? ASCII_TOKEN : TOKEN)) {
    if (out.length >= limit) break;
    out.push(token);
  }
  return out;
}
