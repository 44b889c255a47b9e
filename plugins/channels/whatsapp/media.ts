/**
 * downloadMedia(): two steps, both with the Bearer access token
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#download-media):
 * `GET /{version}/{media-id}` answers `{ url, mime_type, file_size, … }`; the url (valid for 5 minutes) serves the
 * bytes. Media ids come from inbound messages and stay downloadable for 30 days.
 */
import { z } from 'zod';
import type { DownloadedMedia, PluginContext } from '../../sdk/index.ts';
import { mapWhatsAppError } from './outbound.ts';
import type { WhatsAppSettings } from './settings.ts';

const mediaInfo = z.object({ url: z.string(), mime_type: z.string().optional() });

export async function downloadWhatsAppMedia(
  ctx: PluginContext<WhatsAppSettings>,
  mediaId: string,
): Promise<DownloadedMedia> {
  const { apiBaseUrl, apiVersion, accessToken } = ctx.settings;
  const headers = { authorization: `Bearer ${accessToken}` };
  const infoUrl = `${apiBaseUrl.replace(/\/+$/, '')}/${apiVersion}/${encodeURIComponent(mediaId)}`;
  const infoResponse = await ctx.fetch(infoUrl, { headers, signal: ctx.signal });
  const json: unknown = await infoResponse.json().catch(() => null);
  const info = mediaInfo.safeParse(json);
  if (!infoResponse.ok || !info.success) {
    const failure = mapWhatsAppError(infoResponse.status, json, null);
    throw new Error(`WhatsApp media lookup failed: ${failure.message}`);
  }
  const response = await ctx.fetch(info.data.url, { headers, signal: ctx.signal });
  if (!response.ok) throw new Error(`WhatsApp media download failed: HTTP ${response.status}`);
  const mimeType = info.data.mime_type ?? response.headers.get('content-type') ?? 'application/octet-stream';
  return { body: await response.arrayBuffer(), mimeType };
}
