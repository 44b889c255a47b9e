import { decodeText, normaliseNewlines } from './text.ts';
import type { ParsedDocument } from './types.ts';

/** TXT: one section of the decoded text. */
export async function parsePlainText(bytes: Uint8Array): Promise<ParsedDocument> {
  return { sections: [{ text: normaliseNewlines(decodeText(bytes)) }] };
}
