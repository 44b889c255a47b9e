import { conversationFileKey } from '../conversation/message-extras.ts';
import type { Env } from '../env.ts';
import { MAX_RESPONSE_FILE_BYTES } from './files.ts';
import { fileIdsIn } from './spec/files.ts';
import type { ActionOperation, UploadFile } from './spec/types.ts';

/**
 * Bytes of files one call may send, all files together: they sit in memory while the request is built (an isolate
 * has 128 MB, and the multipart body is a second copy), the same 10 MB as a file an action may return.
 */
export const MAX_UPLOAD_BYTES = MAX_RESPONSE_FILE_BYTES;

export type LoadedFiles = { ok: true; files: Map<string, UploadFile> } | { ok: false; error: string };

/**
 * The files a call's arguments name, read from this conversation's R2 prefix only (conversationFileKey): an id of
 * another conversation or team is simply not there, and reads exactly like an unknown one. Sizes are checked from
 * the object's head before any body is read.
 */
export async function loadCallFiles(
  env: Pick<Env, 'FILES'>,
  teamId: string,
  conversationId: string,
  operation: Pick<ActionOperation, 'bodyMediaType' | 'fileFields'>,
  args: unknown,
): Promise<LoadedFiles> {
  const ids = fileIdsIn(operation, args);
  const files = new Map<string, UploadFile>();
  if (ids.length === 0) return { ok: true, files };
  const keys = ids.map((fileId) => conversationFileKey(teamId, conversationId, fileId));
  const heads = await Promise.all(keys.map((key) => env.FILES.head(key)));
  let total = 0;
  for (const [index, head] of heads.entries()) {
    if (!head) return { ok: false, error: `file ${ids[index]} is not a file of this conversation` };
    total += head.size;
  }
  if (total > MAX_UPLOAD_BYTES) {
    return { ok: false, error: `the files are ${total} bytes; one call sends at most ${MAX_UPLOAD_BYTES}` };
  }
  for (const [index, key] of keys.entries()) {
    const object = await env.FILES.get(key);
    const fileId = ids[index] as string;
    // Gone, or replaced by something larger, between the head and the read: refused the same way.
    if (!object || object.size > MAX_UPLOAD_BYTES) {
      await object?.body.cancel();
      return { ok: false, error: `file ${fileId} is not a file of this conversation` };
    }
    files.set(fileId, {
      bytes: new Uint8Array(await object.arrayBuffer()),
      name: object.customMetadata?.name ?? fileId,
      mimeType: object.httpMetadata?.contentType ?? 'application/octet-stream',
    });
  }
  return { ok: true, files };
}
