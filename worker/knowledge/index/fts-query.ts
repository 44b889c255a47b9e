/**
 * Turning user text into an FTS5 MATCH expression that can never be a syntax error or an injection: every token is a
 * quoted string (FTS5 treats `AND`, `OR`, `NOT`, `NEAR`, `*`, `^`, `:`, `(`, `"` as syntax only outside quotes,
 * sqlite.org/fts5.html §3.1), and tokens are joined by spaces, FTS5's implicit AND — the lexical side's AND semantics,
 * as OCS's `websearch_to_tsquery`.
 *
 * Tokens are cut the way the `unicode61` tokenizer cuts them (letters, digits and marks; everything else separates),
 * so a quoted token never holds a separator. unicode61 keeps a run of CJK characters as one token, since those
 * scripts write no spaces: a query word then matches only a whole run. Both the indexed text and the query pass
 * through `ftsText` instead (overlapping character pairs, as Lucene's CJKBigramFilter), so `東京` finds
 * `東京タワーに行きました`; a longer CJK word becomes a quoted phrase of its pairs.
 *
 * Diacritics: `remove_diacritics 2` folds Latin letters only (`café` = `cafe`), not Greek (`επαναφορά` stayed apart
 * from `επαναφορα` in a test). Both sides therefore also drop the combining marks of U+0300–U+036F after NFD
 * (accents, tonos, dialytika), leaving other scripts' marks (Devanagari vowel signs) alone, and fold Greek final
 * sigma to σ.
 */

/** A token as unicode61 sees it (letters, numbers, combining marks; sqlite.org/fts5.html §4.3.1). */
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
/** Scripts written without spaces between words. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC]+/gu;

/** At most this many query tokens are kept: a pasted page must not become a thousand-term AND. */
export const MAX_QUERY_TOKENS = 32;

/** The pairs of a CJK run (`東京タ` → `東京 京タ`); a single character stays itself. */
function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  const pairs: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) pairs.push(`${chars[i]}${chars[i + 1]}`);
  return pairs;
}

const COMBINING_DIACRITICS = /[\u0300-\u036f]/g;

/** Accents off (U+0300–U+036F after NFD), final sigma as σ, recomposed. */
function folded(text: string): string {
  return text.normalize('NFD').replace(COMBINING_DIACRITICS, '').replaceAll('ς', 'σ').normalize('NFC');
}

/** Text as the FTS table indexes it: accents folded, every CJK run spelled as its space-separated pairs. */
export function ftsText(text: string): string {
  return folded(text).replace(CJK_RUN, (run) => ` ${bigrams(run).join(' ')} `);
}

const quoted = (token: string) => `"${token.replaceAll('"', '""')}"`;

/**
 * The MATCH expression for `text`, or null when it has no token at all (then keyword search finds nothing, rather
 * than everything). A single CJK character becomes a prefix query on the pairs it starts (`"東"*`).
 */
export function ftsMatchExpression(text: string): string | null {
  const terms: string[] = [];
  const seen = new Set<string>();
  for (const [token] of folded(text).matchAll(TOKEN)) {
    if (terms.length >= MAX_QUERY_TOKENS) break;
    const key = token.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push(CJK.test(token) ? cjkTerm(token) : quoted(token));
  }
  return terms.length > 0 ? terms.join(' ') : null;
}

/**
 * A token holding CJK: its non-CJK parts as words and each CJK run as a phrase of its pairs. A lone CJK character
 * at the end becomes a prefix (`"iPhone 用"*` finds `iPhone用です`, indexed as `iPhone 用で です`); one elsewhere
 * matches only where the text has it alone too — the limit of pairs without a dictionary (docs/knowledge.md).
 */
function cjkTerm(token: string): string {
  const parts = ftsText(token).trim().split(/\s+/);
  const last = parts[parts.length - 1] ?? '';
  const prefix = CJK.test(last) && [...last].length === 1;
  return `${quoted(parts.join(' '))}${prefix ? '*' : ''}`;
}
