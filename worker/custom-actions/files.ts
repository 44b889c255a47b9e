import { conversationFileKey } from '../conversation/message-extras.ts';
import type { Env } from '../env.ts';
import { newId } from '../ids.ts';
import { readCapped } from './read-body.ts';

/**
 * A file an action returns, kept at most this large: held in memory on its way to R2 (an isolate has 128 MB), and
 * half the 20 MB a messaging platform's file download is allowed (worker/channels/inbound-media.ts).
 */
export const MAX_RESPONSE_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Types stored as they are; anything else as application/octet-stream, since conversation files are served from
 * the API's origin and an API's text/html or SVG must never render there (as worker/channels/inbound-media.ts).
 */
const SAFE_TYPE =
  /^(image\/(png|jpeg|gif|webp)|audio\/[\w.+-]+|video\/[\w.+-]+|application\/pdf|text\/plain|text\/csv)$/;

export type StoredFile =
  | { stored: true; fileId: string; name: string; mimeType: string; size: number }
  | { stored: false; reason: string };

/** Stores the response body in R2 where the conversation's uploads live (conversationFileKey). */
export async function storeResponseFile(
  env: Env,
  teamId: string,
  conversationId: string,
  response: Response,
  filename: string,
): Promise<StoredFile> {
  const { bytes, truncated } = await readCapped(response.body, MAX_RESPONSE_FILE_BYTES);
  if (truncated) return { stored: false, reason: `larger than ${MAX_RESPONSE_FILE_BYTES} bytes, so it was not kept.` };
  const declared = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const mimeType = SAFE_TYPE.test(declared) ? declared : 'application/octet-stream';
  // A name is shown in the dashboard and sent in Content-Disposition: no path, no control characters, 200 at most.
  const name =
    filename
      .replace(/^.*[\\/]/, '')
      .split('')
      .filter((ch) => ch.charCodeAt(0) > 0x1f && ch.charCodeAt(0) !== 0x7f && ch !== '"')
      .join('')
      .slice(0, 200) || 'file';
  const fileId = newId('file');
  await env.FILES.put(conversationFileKey(teamId, conversationId, fileId), bytes, {
    httpMetadata: { contentType: mimeType },
    customMetadata: { name, source: 'custom-action' },
  });
  return { stored: true, fileId, name, mimeType, size: bytes.byteLength };
}
