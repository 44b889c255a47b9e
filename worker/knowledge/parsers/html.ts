import { NodeHtmlMarkdown } from 'node-html-markdown';
import { decodeText } from './text.ts';
import { type ParsedDocument, ParseError } from './types.ts';

/**
 * HTML → Markdown with node-html-markdown (no DOM needed in workerd; research §3.6), so headings become the chunks'
 * heading paths and tables stay tables. Scripts, styles and navigation chrome carry no knowledge: dropped.
 */
export async function parseHtml(bytes: Uint8Array): Promise<ParsedDocument> {
  return { sections: [{ text: htmlToMarkdown(decodeText(bytes)), markdown: true }] };
}

export function htmlToMarkdown(html: string): string {
  const markdown = NodeHtmlMarkdown.translate(html, {
    ignore: ['script', 'style', 'noscript', 'nav', 'iframe', 'svg', 'head'],
    keepDataImages: false,
  });
  if (!markdown.trim()) throw new ParseError('The HTML has no text');
  return markdown;
}
