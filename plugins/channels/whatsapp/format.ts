/**
 * Markdown → WhatsApp formatting: *bold*, _italic_, ~strike~, ```monospace```, `inline code`
 * (https://faq.whatsapp.com/539178204879377). WhatsApp has no escape character, so literal marker characters that
 * would pair up are separated from the word with a zero-width space (U+200B), which is invisible but breaks the
 * pairing. Links become "label (url)": WhatsApp shows bare URLs as links and has no link markup.
 */
import { emphasis, segments } from '../../sdk/channel-helpers/markdown.ts';

const ZWSP = '\u200b';

/** Neutralises *, _, ~ and ` in literal text so WhatsApp does not read them as formatting. */
export function escapeWhatsApp(text: string): string {
  return text.replace(/[*_~`]/g, (char) => `${char}${ZWSP}`);
}

const MARKS = {
  bold: ['*', '*'],
  italic: ['_', '_'],
  strike: ['~', '~'],
  heading: ['*', '*'],
} satisfies Parameters<typeof emphasis>[1];

export function toWhatsApp(markdown: string): string {
  return segments(markdown)
    .map((segment) => {
      switch (segment.type) {
        case 'code-block':
          return `\`\`\`${segment.code}\`\`\``;
        case 'code':
          return `\`${segment.code}\``;
        case 'link': {
          const label = emphasis(segment.label, MARKS, escapeWhatsApp);
          return segment.label === segment.url ? segment.url : `${label} (${segment.url})`;
        }
        default:
          return emphasis(segment.text, MARKS, escapeWhatsApp);
      }
    })
    .join('');
}
