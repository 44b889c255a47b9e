import { decodeText, normaliseNewlines } from './text.ts';
import type { ParsedDocument } from './types.ts';

/** Markdown: one section; a YAML front matter block (Jekyll, Hugo) is kept out of the text, its `title` kept as context. */
export async function parseMarkdown(bytes: Uint8Array): Promise<ParsedDocument> {
  let text = normaliseNewlines(decodeText(bytes));
  let context: string | undefined;
  const front = text.match(/^---\n([\s\S]*?)\n---\n/);
  if (front) {
    text = text.slice(front[0].length);
    const title = front[1]
      ?.match(/^title:\s*(.+)$/m)?.[1]
      ?.trim()
      .replace(/^["']|["']$/g, '');
    if (title) context = title;
  }
  return { sections: [{ text, markdown: true, ...(context && { context }) }] };
}
