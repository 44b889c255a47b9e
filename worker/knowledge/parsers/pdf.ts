import { extractText } from 'unpdf';
import { type ParsedDocument, ParseError } from './types.ts';

/**
 * PDF with unpdf (pdf.js's serverless build, research §3.6): the text layer page by page, one section per page so
 * every chunk cites its page. A scanned PDF has no text layer (OCR is not done here): it fails saying so.
 */
export async function parsePdf(bytes: Uint8Array): Promise<ParsedDocument> {
  let pages: string[];
  try {
    // pdf.js may transfer (detach) the buffer it is given: hand it a copy so the caller's bytes stay usable.
    pages = (await extractText(bytes.slice(), { mergePages: false })).text;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ParseError(`The PDF cannot be read: ${reason}`);
  }
  const sections = pages.map((text, i) => ({ text, page: i + 1 })).filter((s) => s.text.trim().length > 0);
  if (sections.length === 0) throw new ParseError('The PDF has no text layer (a scan?): OCR is not supported');
  return { sections };
}
