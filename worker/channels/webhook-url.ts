import type { Env } from '../env.ts';

/**
 * The public URL a platform posts a channel's webhooks to: `<origin>/webhooks/<plugin id>/<channel id>`. The origin is
 * `PUBLIC_URL` when set (behind a tunnel or proxy the request's own origin is not what the platform sees, and Twilio
 * signs the exact public URL), else the origin of the request being served.
 */
export function webhookUrl(
  env: Pick<Env, 'PUBLIC_URL'>,
  requestUrl: string,
  pluginId: string,
  channelId: string,
): string {
  // A trailing slash in PUBLIC_URL would give `//webhooks`, a different URL for signature checks.
  const origin = env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : new URL(requestUrl).origin;
  return `${origin}/webhooks/${encodeURIComponent(pluginId)}/${encodeURIComponent(channelId)}`;
}
