/**
 * Uploads media for a message (`POST /{version}/{phone-number-id}/media`, multipart: messaging_product, type, file;
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#upload-media): the media id a message then
 * names. Used by sendAudio (audio.ts) and sendFile (file.ts).
 */
import type { PluginContext, SendResult } from '../../sdk/index.ts';
import { mapWhatsAppError } from './outbound.ts';
import type { WhatsAppSettings } from './settings.ts';

export async function uploadWhatsAppMedia(
  ctx: PluginContext<WhatsAppSettings>,
  bytes: ArrayBuffer,
  mimeType: string,
  filename: string,
): Promise<{ ok: true; id: string } | Extract<SendResult, { ok: false }>> {
  const { apiBaseUrl, apiVersion, phoneNumberId, accessToken } = ctx.settings;
  const form = new FormData();
  form.set('messaging_product', 'whatsapp');
  form.set('type', mimeType);
  form.set('file', new Blob([bytes], { type: mimeType }), filename);
  const response = await ctx.fetch(`${apiBaseUrl.replace(/\/+$/, '')}/${apiVersion}/${phoneNumberId}/media`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}` },
    body: form,
    signal: ctx.signal,
  });
  const json: unknown = await response.json().catch(() => null);
  const id = (json as { id?: unknown } | null)?.id;
  if (!response.ok || typeof id !== 'string') {
    return mapWhatsAppError(response.status, json, response.headers.get('retry-after'));
  }
  return { ok: true, id };
}
