import { markdownToPlainText } from '../../sdk/channel-helpers/plain-text.ts';

/**
 * SMS is plain text (https://www.twilio.com/docs/glossary/what-sms-character-limit). WhatsApp understands *bold*
 * and _italic_, but the same plain text reads fine there, so both get plain text; nothing needs escaping.
 */
export function formatTwilio(markdown: string): string {
  return markdownToPlainText(markdown);
}
