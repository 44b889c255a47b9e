import { splitFormatted } from '../../sdk/channel-helpers/split.ts';
import { formatMessenger } from './format.ts';

/** `message.text` is limited to 2000 characters (https://developers.facebook.com/docs/messenger-platform/reference/send-api/#message). */
export const MESSENGER_MAX_TEXT = 2000;

export function splitMessenger(markdown: string): string[] {
  return splitFormatted(markdown, MESSENGER_MAX_TEXT, formatMessenger);
}
