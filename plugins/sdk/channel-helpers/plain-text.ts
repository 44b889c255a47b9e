/**
 * Markdown to plain text, for channels that render no formatting (Messenger, SMS): emphasis markers, headings and
 * fences are dropped, links become "text (url)", bullets become "•". Nothing needs escaping in plain text.
 */
export function markdownToPlainText(markdown: string): string {
  return markdown
    .replace(/^\s*```[^\n]*$/gm, '')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/^(\s*)[-*+]\s+/gm, '$1• ')
    .replace(/!?\[([^\]]*)\]\(([^)\s]+)\)/g, (_, text: string, url: string) =>
      text && text !== url ? `${text} (${url})` : url,
    )
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1$2')
    .replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])/g, '$1$2')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
