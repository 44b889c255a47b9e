/**
 * Markdown to Slack mrkdwn (https://docs.slack.dev/messaging/formatting-message-text): `&`, `<` and `>` are escaped
 * as `&amp;`, `&lt;`, `&gt;` everywhere (Slack reads `<…>` as links and mentions), **bold** → *bold*,
 * *italic* and _italic_ → _italic_, ~~strike~~ → ~strike~, [text](url) → <url|text>, headings → bold lines,
 * bullets → •. Code spans and fences keep their backticks and are only escaped.
 */
export const escapeMrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// Private-use placeholders, which never occur in model output, hold bold markers and links while the rest converts.
const BOLD = '\uE000';
const LINK = /\uE001(\d+)\uE001/g;

function inline(text: string): string {
  const links: string[] = [];
  return escapeMrkdwn(text)
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, (_, label: string, url: string) => {
      links.push(`<${url}|${label.replace(/\|/g, '¦')}>`);
      return `\uE001${links.length - 1}\uE001`;
    })
    .replace(/^(\s*)[-*+]\s+/gm, '$1• ')
    .replace(/^#{1,6}\s+(.+)$/gm, `${BOLD}$1${BOLD}`)
    .replace(/(\*\*|__)(?=\S)([^\n]*?\S)\1/g, `${BOLD}$2${BOLD}`)
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1_$2_')
    .replace(/~~(?=\S)([^\n]*?\S)~~/g, '~$1~')
    .replaceAll(BOLD, '*')
    .replace(LINK, (_, index: string) => links[Number(index)] ?? '');
}

export function formatSlack(markdown: string): string {
  // Odd-indexed parts are code (fences or inline spans): escaped, never reformatted.
  const parts = markdown.split(/(```[\s\S]*?```|`[^`\n]+`)/g);
  return parts
    .map((part, index) => (index % 2 === 1 ? escapeMrkdwn(part.replace(/^```[^\n]*\n/, '```\n')) : inline(part)))
    .join('');
}
