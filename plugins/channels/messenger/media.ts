/**
 * downloadMedia(): a Messenger attachment's `payload.url` (what parse gives as the mediaId) is a signed, expiring
 * CDN URL that needs no token (https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messages).
 * The page token is deliberately not sent: the URL comes from a webhook body, and the token must only go to the
 * Graph API.
 */
import type { DownloadedMedia, PluginContext } from '../../sdk/index.ts';
import type { MessengerSettings } from './settings.ts';

export async function downloadMessengerMedia(
  ctx: PluginContext<MessengerSettings>,
  mediaUrl: string,
): Promise<DownloadedMedia> {
  if (!/^https?:\/\//.test(mediaUrl)) throw new Error('A Messenger media id is the attachment URL');
  const response = await ctx.fetch(mediaUrl, { signal: ctx.signal });
  if (!response.ok) throw new Error(`Messenger attachment download failed: HTTP ${response.status}`);
  const mimeType = response.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream';
  return { body: await response.arrayBuffer(), mimeType };
}
