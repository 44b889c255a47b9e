/**
 * downloadMedia(): inbound files carry a file id; files.info gives its `url_private`, which Slack serves only with
 * the bot token as a Bearer header (https://docs.slack.dev/reference/methods/files.info,
 * https://docs.slack.dev/messaging/working-with-files#authenticating). Needs the files:read scope. Without a valid
 * token Slack answers 200 with an HTML sign-in page, so an HTML answer is a failure, not a file.
 */
import { z } from 'zod';
import type { DownloadedMedia, PluginContext } from '../../sdk/index.ts';
import type { SlackSettings } from './settings.ts';

const fileInfo = z.object({
  ok: z.boolean(),
  error: z.string().optional(),
  file: z.object({ url_private: z.string(), mimetype: z.string().optional() }).optional(),
});

export async function downloadSlackFile(ctx: PluginContext<SlackSettings>, fileId: string): Promise<DownloadedMedia> {
  const authorization = `Bearer ${ctx.settings.botToken}`;
  const infoUrl = `${ctx.settings.apiBaseUrl.replace(/\/$/, '')}/files.info?file=${encodeURIComponent(fileId)}`;
  const infoResponse = await ctx.fetch(infoUrl, { headers: { authorization }, signal: ctx.signal });
  const info = fileInfo.safeParse(await infoResponse.json().catch(() => null));
  if (!info.success || !info.data.ok || !info.data.file) {
    throw new Error(
      `Slack files.info failed: ${info.success ? (info.data.error ?? 'no file') : `HTTP ${infoResponse.status}`}`,
    );
  }
  const response = await ctx.fetch(info.data.file.url_private, { headers: { authorization }, signal: ctx.signal });
  const served = response.headers.get('content-type') ?? '';
  if (!response.ok || served.startsWith('text/html')) {
    throw new Error(
      `Slack file download failed: HTTP ${response.status}${served.startsWith('text/html') ? ' (sign-in page: check files:read)' : ''}`,
    );
  }
  return {
    body: await response.arrayBuffer(),
    mimeType: info.data.file.mimetype ?? (served || 'application/octet-stream'),
  };
}
