/**
 * One attachment uploaded with the message, multipart (`recipient`, `messaging_type`, `message` with
 * `attachment.type` and `filedata`; https://developers.facebook.com/docs/messenger-platform/send-messages#file): how
 * voice replies (audio.ts) and reply files (file.ts) go out. Attachments may be up to 25 MB.
 */
import { z } from 'zod';
import type { PluginContext, SendResult } from '../../sdk/index.ts';
import { mapMessengerError } from './outbound.ts';
import type { MessengerSettings } from './settings.ts';

export type AttachmentType = 'audio' | 'image' | 'video' | 'file';

export async function sendMessengerAttachment(
  ctx: PluginContext<MessengerSettings>,
  recipient: string,
  type: AttachmentType,
  file: { bytes: ArrayBuffer; mimeType: string; filename: string },
): Promise<SendResult> {
  const { apiBaseUrl, pageId, pageAccessToken } = ctx.settings;
  const form = new FormData();
  form.set('recipient', JSON.stringify({ id: recipient }));
  form.set('messaging_type', 'RESPONSE');
  form.set('message', JSON.stringify({ attachment: { type, payload: { is_reusable: false } } }));
  form.set('filedata', new Blob([file.bytes], { type: file.mimeType }), file.filename);
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
