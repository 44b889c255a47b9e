import { splitFormatted } from '../../sdk/channel-helpers/split.ts';
import { formatTwilio } from './format.ts';

/** The Message resource's Body holds at most 1,600 characters (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource). */
export const TWILIO_MAX_BODY = 1600;

export function splitTwilio(markdown: string): string[] {
  return splitFormatted(markdown, TWILIO_MAX_BODY, formatTwilio);
}
