import type { JsonObject } from '../../plugins/sdk/index.ts';
import { FILE_ID_PATTERN } from './message-extras.ts';

/**
 * Files a reply may carry from its tools: the same cap as a user message's attachments (attachmentIds, 4), which
 * also keeps the reply's metadata small and a channel's message under its platforms' per-message media limits.
 */
export const MAX_REPLY_FILES = 4;

/**
 * The file a tool's result names (`{"file": {fileId, name, mimeType, size}}`, as a custom action's file response
 * is described: worker/custom-actions/caller.ts), in a message attachment's shape, or null. The id must be a file
 * id; the file is stored under this conversation's R2 prefix, the only place the download routes read, so a result
 * can never point the reply at another conversation's file.
 */
export function toolResultFile(output: string): JsonObject | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const file = (parsed as Record<string, unknown>).file;
  if (typeof file !== 'object' || file === null || Array.isArray(file)) return null;
  const { fileId, name, mimeType, size } = file as Record<string, unknown>;
  if (typeof fileId !== 'string' || !FILE_ID_PATTERN.test(fileId)) return null;
  if (typeof name !== 'string' || typeof mimeType !== 'string' || typeof size !== 'number') return null;
  return { fileId, name: name.slice(0, 200), mimeType: mimeType.slice(0, 100), size };
}
