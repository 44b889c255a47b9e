import { conversationFileResponse } from '../conversation/file-response.ts';
import { conversationFileKey } from '../conversation/message-extras.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { randomBytes } from '../security/encoding.ts';
import type { UploadedFile } from './api-schemas.ts';
import type { WidgetTokenPayload } from './token.ts';

/** The cap of one upload; the app-wide 1 MB body limit (worker/http/app.ts) exempts the uploads route. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/**
 * Types a chat attachment may have. No HTML, SVG or JavaScript: files are served from the API's origin, and those
 * could run script there. Everything is served with nosniff, and non-images as downloads.
 */
export const UPLOAD_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/json',
]);

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function newFileId(): string {
  let id = '';
  for (const byte of randomBytes(26)) id += ALPHABET[byte % 32];
  return `file_${id}`;
}

export type { UploadedFile };

/** A file name safe to store and to put in a Content-Disposition header: no path, no quotes or control characters. */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 200);
  return cleaned.trim() || 'file';
}

/**
 * Streams a request body into R2 under the token's conversation. R2 needs the length up front, so the declared
 * Content-Length is required, checked against the cap, and enforced by a FixedLengthStream (a body that is longer
 * or shorter than declared fails the write instead of storing something else).
 */
export async function storeUpload(
  env: Env,
  token: WidgetTokenPayload,
  request: Request,
  name: string | undefined,
): Promise<UploadedFile> {
  const mimeType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!UPLOAD_TYPES.has(mimeType)) {
    throw new ApiError(415, 'unsupported_media_type', `Files of type "${mimeType}" cannot be uploaded`, {
      allowed: [...UPLOAD_TYPES],
    });
  }
  const declared = request.headers.get('content-length');
  const size = Number(declared);
  if (declared === null || !Number.isInteger(size) || size < 0) {
    throw new ApiError(411, 'length_required', 'Uploads need a Content-Length header');
  }
  if (size > MAX_UPLOAD_BYTES) {
    throw new ApiError(413, 'payload_too_large', `Files are limited to ${MAX_UPLOAD_BYTES} bytes`);
  }
  if (size === 0 || !request.body) throw new ApiError(400, 'bad_request', 'The upload is empty');
  const fileId = newFileId();
  const fileName = cleanFileName(name);
  const { readable, writable } = new FixedLengthStream(size);
  const piping = request.body.pipeTo(writable).catch(() => undefined);
  try {
    await env.FILES.put(conversationFileKey(token.t, token.c, fileId), readable, {
      httpMetadata: { contentType: mimeType },
      customMetadata: { name: fileName, participantId: token.p },
    });
  } catch {
    throw new ApiError(400, 'bad_request', 'The body did not match its Content-Length');
  } finally {
    await piping;
  }
  return { fileId, name: fileName, mimeType, size, url: `/api/widget/v1/files/${fileId}` };
}

/** A file of the token's conversation, or 404: the key includes the conversation, so no other one can reach it. */
export function readUpload(env: Env, token: WidgetTokenPayload, fileId: string): Promise<Response> {
  return conversationFileResponse(env, token.t, token.c, fileId);
}
