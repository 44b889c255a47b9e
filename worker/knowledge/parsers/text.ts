import { ParseError } from './types.ts';

/** UTF-8 text (a BOM is dropped by TextDecoder); a file that is not UTF-8 fails instead of indexing mojibake. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ParseError('The file is not UTF-8 text');
  }
}

/** Line endings normalised, so the chunker's `\n\n` and `\n` separators see one convention. */
export function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
