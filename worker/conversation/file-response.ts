import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { conversationFileKey, FILE_ID_PATTERN } from './message-extras.ts';

/**
 * A file of one conversation (an upload, a channel's media, a custom action's reply file) as a download, or 404:
 * the R2 key holds the team and the conversation, so no other team's or conversation's file can be reached. Images
 * open inline, everything else downloads; served with `nosniff` and a sandboxing CSP so a stored HTML or SVG file
 * cannot run script on our origin.
 */
export async function conversationFileResponse(
  env: Env,
  teamId: string,
  conversationId: string,
  fileId: string,
): Promise<Response> {
  if (!FILE_ID_PATTERN.test(fileId)) throw new ApiError(404, 'not_found', 'File not found');
  const object = await env.FILES.get(conversationFileKey(teamId, conversationId, fileId));
  if (!object) throw new ApiError(404, 'not_found', 'File not found');
  const mimeType = object.httpMetadata?.contentType ?? 'application/octet-stream';
  const name = object.customMetadata?.name ?? fileId;
  const disposition = mimeType.startsWith('image/') ? 'inline' : 'attachment';
  return new Response(object.body, {
    headers: {
      'content-type': mimeType,
      'content-length': String(object.size),
      'content-disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(name)}`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=3600',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  });
}
