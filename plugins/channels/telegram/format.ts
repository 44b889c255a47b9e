/**
 * Markdown → Telegram HTML (parse_mode "HTML"). Telegram supports <b>, <i>, <s>, <u>, <code>, <pre>,
 * <pre><code class="language-x">, <a href>, <blockquote>; every literal <, > and & must be written as &lt; &gt; &amp;
 * (https://core.telegram.org/bots/api#html-style). Anything else would fail with "can't parse entities".
 */
import { emphasis, segments } from '../../sdk/channel-helpers/markdown.ts';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const escapeAttribute = (text: string): string => escapeHtml(text).replace(/"/g, '&quot;');

const MARKS = {
  bold: ['<b>', '</b>'],
  italic: ['<i>', '</i>'],
  strike: ['<s>', '</s>'],
  heading: ['<b>', '</b>'],
} satisfies Parameters<typeof emphasis>[1];

export function toTelegramHtml(markdown: string): string {
  return segments(markdown)
    .map((segment) => {
      switch (segment.type) {
        case 'code-block': {
          const language = segment.language.replace(/[^\w+#-]/g, '');
          const code = escapeHtml(segment.code);
          return language ? `<pre><code class="language-${language}">${code}</code></pre>` : `<pre>${code}</pre>`;
        }
        case 'code':
          return `<code>${escapeHtml(segment.code)}</code>`;
        case 'link':
          return `<a href="${escapeAttribute(segment.url)}">${emphasis(segment.label, MARKS, escapeHtml)}</a>`;
        default:
          return emphasis(segment.text, MARKS, escapeHtml);
      }
    })
    .join('');
}
