/**
 * downloadMedia(): getFile turns a file_id into a file_path, then the file is at
 * `{apiBaseUrl}/file/bot<token>/<file_path>` (https://core.telegram.org/bots/api#getfile). The Bot API serves files
 * of up to 20 MB this way; bigger ones fail at getFile with "file is too big". Errors name no URL (it holds the token).
 */
import type { DownloadedMedia } from '../../sdk/index.ts';
import { apiBase, callTelegram, type TelegramContext } from './api.ts';

/** getFile: "bots can download files of up to 20MB in size". */
export const TELEGRAM_MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/** Telegram's file server answers application/octet-stream; the extension of file_path says what the file is. */
const MIME_BY_EXTENSION: Record<string, string> = {
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  mp4: 'video/mp4',
  webm: 'video/webm',
  pdf: 'application/pdf',
  txt: 'text/plain',
};

export function mimeTypeOf(filePath: string, served: string | null): string {
  const extension = /\.([a-z0-9]+)$/i.exec(filePath)?.[1]?.toLowerCase() ?? '';
  const known = MIME_BY_EXTENSION[extension];
  if (known) return known;
  const header = served?.split(';')[0]?.trim();
  return header && header !== 'application/octet-stream' ? header : 'application/octet-stream';
}

export async function downloadTelegramMedia(ctx: TelegramContext, fileId: string): Promise<DownloadedMedia> {
  const answer = await callTelegram(ctx, 'getFile', { file_id: fileId });
  if (!answer.ok) throw new Error(`Telegram getFile failed: ${answer.failure.message}`);
  const file = answer.result as { file_path?: string; file_size?: number } | undefined;
  if (!file?.file_path) throw new Error('Telegram getFile returned no file_path (the file may be unavailable)');
  if ((file.file_size ?? 0) > TELEGRAM_MAX_DOWNLOAD_BYTES) throw new Error('Telegram file is over the 20 MB limit');
  const url = `${apiBase(ctx.settings)}/file/bot${ctx.settings.botToken}/${file.file_path}`;
  const response = await ctx.fetch(url, { signal: ctx.signal });
  if (!response.ok) throw new Error(`Telegram file download failed: HTTP ${response.status}`);
  const body = await response.arrayBuffer();
  return { body, mimeType: mimeTypeOf(file.file_path, response.headers.get('content-type')) };
}
