import { ApiError } from '../../http/errors.ts';
import { MAX_DOCUMENT_BYTES, MULTIPART_OVERHEAD_BYTES } from './limits.ts';

function tooLarge(): ApiError {
  return new ApiError(413, 'payload_too_large', `Documents are limited to ${MAX_DOCUMENT_BYTES} bytes`);
}

/**
 * A stream read whole, failing as soon as it passes `limit` bytes (a declared Content-Length is checked first, so an
 * honest oversized upload fails before any byte is read; a lying or chunked one fails at the limit).
 */
export async function readCapped(
  stream: ReadableStream<Uint8Array> | null,
  declaredLength: string | null,
  limit = MAX_DOCUMENT_BYTES,
  error: () => Error = tooLarge,
): Promise<Uint8Array<ArrayBuffer>> {
  if (declaredLength !== null && Number(declaredLength) > limit) throw error();
  if (!stream) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw error();
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}

export interface UploadedFile {
  bytes: Uint8Array<ArrayBuffer>;
  fileName: string | null;
  contentType: string | null;
  title?: string;
}

/**
 * A document upload: `multipart/form-data` with the file in field `file` (and an optional `title` field), or the
 * raw file as the body with its own Content-Type and the name in `?filename=`.
 */
export async function readUpload(request: Request, filename: string | undefined): Promise<UploadedFile> {
  const contentType = request.headers.get('content-type');
  if (contentType?.toLowerCase().startsWith('multipart/form-data')) return readMultipart(request);
  const bytes = await readCapped(request.body, request.headers.get('content-length'));
  if (bytes.length === 0) {
    throw new ApiError(400, 'invalid_request', 'The upload is empty', [{ field: 'body', message: 'no file bytes' }]);
  }
  return { bytes, fileName: filename ?? null, contentType };
}

async function readMultipart(request: Request): Promise<UploadedFile> {
  // formData() buffers the body, so its size is bounded first: the file plus what multipart framing adds.
  const limit = MAX_DOCUMENT_BYTES + MULTIPART_OVERHEAD_BYTES;
  const raw = await readCapped(request.body, request.headers.get('content-length'), limit);
  let form: FormData;
  try {
    form = await new Response(raw, {
      headers: { 'content-type': request.headers.get('content-type') ?? '' },
    }).formData();
  } catch {
    throw new ApiError(400, 'invalid_request', 'Invalid multipart body', [{ field: 'body', message: 'not multipart' }]);
  }
  const file = form.get('file');
  if (!file || typeof file === 'string') {
    throw new ApiError(400, 'invalid_request', 'Invalid body.file', [
      { field: 'body.file', message: 'a file part named "file" is required' },
    ]);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.length > MAX_DOCUMENT_BYTES) throw tooLarge();
  if (bytes.length === 0) {
    throw new ApiError(400, 'invalid_request', 'Invalid body.file', [{ field: 'body.file', message: 'empty file' }]);
  }
  const title = form.get('title');
  return {
    bytes,
    fileName: file.name || null,
    contentType: file.type || null,
    ...(typeof title === 'string' && title.trim() && { title: title.trim().slice(0, 200) }),
  };
}
