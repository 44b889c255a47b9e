/**
 * sendFile(): the file uploaded with the message, multipart (`recipient`, `message` with `attachment.type` `image`
 * for JPEG/PNG/GIF or `file` otherwise, `filedata` with the file's name;
 * https://developers.facebook.com/docs/messenger-platform/send-messages#file). Attachments may be up to 25 MB.
 * The Send API has no caption on attachments: the reply's text went out just before.
 */
import { z } from 'zod';
import type { OutboundFile, PluginContext, SendResult } from '../../sdk/index.ts';
import { mapMessengerError } from './outbound.ts';
import type { MessengerSettings } from './settings.ts';

/** "Attachment size limit: 25 MB" (Send API, sending attachments). */
export const MESSENGER_MAX_FILE_BYTES = 25 * 1024 * 1024;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif']);

export async function sendMessengerFile(
  ctx: PluginContext<MessengerSettings>,
  file: OutboundFile,
): Promise<SendResult> {
  const { apiBaseUrl, pageId, pageAccessToken } = ctx.settings;
  const type = IMAGE_TYPES.has(file.mimeType) ? 'image' : 'file';
  const form = new FormData();
  form.set('recipient', JSON.stringify({ id: file.conversationKey }));
  form.set('messaging_type', 'RESPONSE');
  form.set('message', JSON.stringify({ attachment: { type, payload: { is_reusable: false } } }));
  form.set('filedata', new Blob([file.bytes], { type: file.mimeType }), file.name);
  const response = await ctx.fetch(`${apiBaseUrl.replace(/\/$/, '')}/${encodeURIComponent(pageId)}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${pageAccessToken}` },
    body: form,
    signal: ctx.signal,
  });
  const bodyText = await response.text();
  if (!response.ok) return mapMessengerError(response.status, bodyText, response.headers.get('retry-after'));
  const sent = z.object({ message_id: z.string() }).safeParse(JSON.parse(bodyText));
  if (!sent.success)
    return { ok: false, retryable: false, code: 'bad_response', message: 'No message id in the response' };
  return { ok: true, platformMessageIds: [sent.data.message_id] };
}
