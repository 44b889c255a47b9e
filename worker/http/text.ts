import { z } from '@hono/zod-openapi';

// A UTF-16 surrogate that is not half of a pair: not a character; storage and JSON encoders may mangle it.
const LONE_SURROGATE = /\p{Cs}/u;
// Bidi embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069), the "Trojan Source" characters that make
// text display in another order than it reads (CVE-2021-42574), and the BOM / zero-width no-break space (U+FEFF).
const BIDI_OR_BOM = /[\u202A-\u202E\u2066-\u2069\uFEFF]/u;
// C0 and C1 controls (NUL, ESC, DEL, …); multi-line text keeps line feed, carriage return and tab.
const CONTROL = /\p{Cc}/u;
const CONTROL_BUT_WHITESPACE = /[^\P{Cc}\n\r\t]/u;

export interface TextRules {
  /** Allows line breaks and tabs (descriptions, comments, messages); one-line fields (names) refuse every control. */
  multiline?: boolean;
  /** Keeps bidi controls and BOMs: message text a person typed in a right-to-left script may carry them. */
  allowBidi?: boolean;
}

/**
 * Human-visible text, for every name, description, note, comment and message the API stores: NFC-normalised (so
 * "é" typed two ways is one string, and lengths count the same), with no lone surrogates, no control characters
 * (but line breaks and tabs in multi-line text) and no bidi overrides or BOMs. Chain `.trim()`, `.min()`, `.max()`
 * as with z.string(); they apply to the normalised text.
 */
export function humanText({ multiline = false, allowBidi = false }: TextRules = {}) {
  const control = multiline ? CONTROL_BUT_WHITESPACE : CONTROL;
  return z
    .string()
    .normalize('NFC')
    .refine((text) => !LONE_SURROGATE.test(text), 'must be valid Unicode (it has a lone surrogate)')
    .refine(
      (text) => !control.test(text),
      multiline
        ? 'must not contain control characters other than line breaks and tabs'
        : 'must be one line of text without control characters',
    )
    .refine((text) => allowBidi || !BIDI_OR_BOM.test(text), 'must not contain bidi override characters or a BOM');
}
