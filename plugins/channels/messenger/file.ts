/**
 * sendFile(): a reply's file uploaded with the message (attachment.ts), `attachment.type` `image` for JPEG/PNG/GIF
 * and `file` otherwise, under its own name (https://developers.facebook.com/docs/messenger-platform/send-messages#file).
 * The Send API has no caption on attachments: the reply's text went out just before.
 */
import type { OutboundFile, PluginContext, SendResult } from '../../sdk/index.ts';
import { sendMessengerAttachment } from './attachment.ts';
import type { MessengerSettings } from './settings.ts';

/** "Attachment size limit: 25 MB" (Send API, sending attachments). */
export const MESSENGER_MAX_FILE_BYTES = 25 * 1024 * 1024;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif']);

export function sendMessengerFile(ctx: PluginContext<MessengerSettings>, file: OutboundFile): Promise<SendResult> {
  const type = IMAGE_TYPES.has(file.mimeType) ? 'image' : 'file';
  const upload = { bytes: file.bytes, mimeType: file.mimeType, filename: file.name };
  return sendMessengerAttachment(ctx, file.conversationKey, type, upload);
}
