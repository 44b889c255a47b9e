/**
 * downloadMedia(): parse gives the inbound `MediaUrlN` as the media id. Media URLs need the account's HTTP Basic
 * auth (accountSid:authToken) when the account enforces "HTTP Basic Authentication for media access", and redirect
 * to a short-lived CDN URL (https://www.twilio.com/docs/messaging/api/media-resource#fetch-media-file). Credentials
 * go only to the configured Twilio API host, never to another host a webhook body might name.
 */
import type { DownloadedMedia, PluginContext } from '../../sdk/index.ts';
import type { TwilioSettings } from './settings.ts';

export async function downloadTwilioMedia(
  ctx: PluginContext<TwilioSettings>,
  mediaUrl: string,
): Promise<DownloadedMedia> {
  const { apiBaseUrl, accountSid, authToken } = ctx.settings;
  let url: URL;
  try {
    url = new URL(mediaUrl);
  } catch {
    throw new Error('A Twilio media id is the MediaUrl of the inbound message');
  }
  const headers: Record<string, string> = {};
  if (url.origin === new URL(apiBaseUrl).origin) headers.authorization = `Basic ${btoa(`${accountSid}:${authToken}`)}`;
  const response = await ctx.fetch(url.href, { headers, redirect: 'follow', signal: ctx.signal });
  if (!response.ok) throw new Error(`Twilio media download failed: HTTP ${response.status}`);
  const mimeType = response.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream';
  return { body: await response.arrayBuffer(), mimeType };
}
