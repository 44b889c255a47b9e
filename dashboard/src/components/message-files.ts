/**
 * The files of a message (`metadata.attachments`): what a user uploaded, a channel's media, and the files a custom
 * action returned for a reply (worker/conversation/turn-steps.ts, tool-files.ts). Metadata is free-form JSON in
 * storage, so the list is read defensively, like the tool log (tool-calls.ts).
 */
import type { WidgetAttachment } from '../../../worker/widget/api-schemas.ts';

/** An attachment as stored: a reply's files carry no `url` (the dashboard builds its own, fileUrl). */
export type AttachmentView = Pick<WidgetAttachment, 'fileId' | 'name' | 'mimeType' | 'size'>;

/** The attachments a message's metadata lists; anything not shaped like one is left out. */
export function attachmentsOf(metadata: Record<string, unknown>): AttachmentView[] {
  const list = metadata.attachments;
  if (!Array.isArray(list)) return [];
  const files: AttachmentView[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const { fileId, name, mimeType, size } = item as Record<string, unknown>;
    if (typeof fileId !== 'string' || fileId === '') continue;
    files.push({
      fileId,
      name: typeof name === 'string' && name !== '' ? name : fileId,
      mimeType: typeof mimeType === 'string' && mimeType !== '' ? mimeType : 'application/octet-stream',
      ...(typeof size === 'number' && Number.isFinite(size) && size >= 0 && { size }),
    });
  }
  return files;
}

/** The admin API's download route for a file of the conversation (worker/conversations/file-routes.ts). */
export const fileUrl = (conversationId: string, fileId: string) =>
  `/api/v1/conversations/${encodeURIComponent(conversationId)}/files/${encodeURIComponent(fileId)}`;

/**
 * Images are previewed as a thumbnail. SVG is left out: an `<img>` would not run its scripts, but a thumbnail of
 * an arbitrary vector file can be any size and says little; it downloads like any other file.
 */
export const isPreviewable = (file: AttachmentView) => /^image\/(png|jpeg|gif|webp|avif)$/i.test(file.mimeType);

const KINDS: readonly [RegExp, string][] = [
  [/^application\/pdf$/, 'PDF'],
  [/^image\//, 'IMG'],
  [/^audio\//, 'AUD'],
  [/^video\//, 'VID'],
  [/^text\/csv$|spreadsheet|excel/, 'XLS'],
  [/wordprocessing|msword/, 'DOC'],
  [/presentation|powerpoint/, 'PPT'],
  [/zip|gzip|x-tar|compressed/, 'ZIP'],
  [/json/, 'JSON'],
  [/^text\//, 'TXT'],
];

/** The few letters on a file's icon: its extension when it has a short one, else a label for its type. */
export function fileBadge(file: AttachmentView): string {
  const extension = /\.([a-z0-9]{1,4})$/i.exec(file.name)?.[1];
  if (extension) return extension.toUpperCase();
  return KINDS.find(([pattern]) => pattern.test(file.mimeType.toLowerCase()))?.[1] ?? 'FILE';
}
