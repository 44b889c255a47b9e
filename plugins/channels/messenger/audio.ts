/**
 * sendAudio(): an audio attachment uploaded with the message, multipart (`recipient`, `message` with
 * `attachment.type: audio`, `filedata`; https://developers.facebook.com/docs/messenger-platform/send-messages#file).
 * Attachments may be up to 25 MB.
 */
import { z } from 'zod';
import type { OutboundAudio, PluginContext, SendResult } from '../../sdk/index.ts';
import { mapMessengerError } from './outbound.ts';
import type { MessengerSettings } from './settings.ts';

export async function sendMessengerAudio(
  ctx: PluginContext<MessengerSettings>,
  message: OutboundAudio,
): Promise<SendResult> {
  const { apiBaseUrl, pageId, pageAccessToken } = ctx.settings;
  const mimeType = message.mimeType.split(';')[0]?.trim() || 'audio/mpeg';
  const form = new FormData();
  form.set('recipient', JSON.stringify({ id: message.conversationKey }));
  form.set('messaging_type', 'RESPONSE');
  form.set('message', JSON.stringify({ attachment: { type: 'audio', payload: { is_reusable: false } } }));
  const extension = mimeType.split('/')[1]?.replace(/[^a-z0-9]/g, '') || 'bin';
  form.set('filedata', new Blob([message.audio], { type: mimeType }), `reply.${extension}`);
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
