import { Buffer } from 'node:buffer';
import mammoth from 'mammoth';
import { htmlToMarkdown } from './html.ts';
import { type ParsedDocument, ParseError } from './types.ts';

/**
 * DOCX with mammoth → HTML → Markdown, so Word headings become heading paths. mammoth's Node build (what Vite picks
 * under vitest) reads `buffer`, its browser build (what wrangler's esbuild picks) reads `arrayBuffer`: both are given
 * (research finding 0.4).
 */
export async function parseDocx(bytes: Uint8Array): Promise<ParsedDocument> {
  const copy = bytes.slice();
  let html: string;
  try {
    const input = { buffer: Buffer.from(copy), arrayBuffer: copy.buffer };
    // Images would be inlined as base64 data URIs: never read, since the text index has no use for them.
    const convertImage = mammoth.images.imgElement(async () => ({ src: '' }));
    html = (await mammoth.convertToHtml(input, { externalFileAccess: false, convertImage })).value;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ParseError(`The DOCX cannot be read: ${reason}`);
  }
  return { sections: [{ text: htmlToMarkdown(html), markdown: true }] };
}
