/**
 * sendAudio(): an `audio` attachment uploaded with the message (attachment.ts;
 * https://developers.facebook.com/docs/messenger-platform/send-messages#file).
 */
import type { OutboundAudio, PluginContext, SendResult } from '../../sdk/index.ts';
import { sendMessengerAttachment } from './attachment.ts';
import type { MessengerSettings } from './settings.ts';

export async function sendMessengerAudio(
  ctx: PluginContext<MessengerSettings>,
  message: OutboundAudio,
): Promise<SendResult> {
  const mimeType = message.mimeType.split(';')[0]?.trim() || 'audio/mpeg';
  const extension = mimeType.split('/')[1]?.replace(/[^a-z0-9]/g, '') || 'bin';
  const file = { bytes: message.audio, mimeType, filename: `reply.${extension}` };
  return sendMessengerAttachment(ctx, message.conversationKey, 'audio', file);
}
