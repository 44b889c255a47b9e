import { markdownToPlainText } from '../../sdk/channel-helpers/plain-text.ts';

/**
 * Messenger renders text messages as plain text: no markdown, nothing to escape
 * (https://developers.facebook.com/docs/messenger-platform/send-messages#sending_text).
 */
export function formatMessenger(markdown: string): string {
  return markdownToPlainText(markdown);
}
