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

/** How a reply's file went to the messaging channel, for the line under its chip; tone drives the colour. */
export interface FileDeliveryView {
  tone: 'ok' | 'pending' | 'error';
  text: string;
}

/** Reasons worker/channels/reply-files.ts records for a skipped file, worded for the admin reading the transcript. */
const SKIP_REASONS: Record<string, string> = {
  not_sendable: 'this channel cannot send files, so the user got its name only',
  file_missing: 'the file is no longer in storage',
  no_public_url: 'this channel fetches files from a link, which needs PUBLIC_URL set',
};

/**
 * The channel delivery of one file of a reply (`metadata.delivery.files`, one entry per file with its status), or
 * undefined when the reply was not sent to a messaging channel (the widget and the test chat show files directly).
 */
export function fileDeliveryOf(metadata: Record<string, unknown>, fileId: string): FileDeliveryView | undefined {
  const delivery = metadata.delivery;
  if (typeof delivery !== 'object' || delivery === null) return undefined;
  const files = (delivery as Record<string, unknown>).files;
  if (!Array.isArray(files)) return undefined;
  const entry = files.find(
    (item): item is Record<string, unknown> =>
      typeof item === 'object' && item !== null && (item as Record<string, unknown>).fileId === fileId,
  );
  if (!entry) return undefined;
  const error = entry.error as { message?: unknown } | undefined;
  const errorText = typeof error?.message === 'string' && error.message !== '' ? `: ${error.message}` : '';
  switch (entry.status) {
    case 'sent':
      return { tone: 'ok', text: 'Delivered to the channel' };
    case 'pending':
      return { tone: 'pending', text: 'Waiting to be sent to the channel' };
    case 'retrying':
      return { tone: 'pending', text: `Sending to the channel failed, will retry${errorText}` };
    case 'failed':
      return { tone: 'error', text: `Not delivered${errorText}` };
    case 'skipped': {
      const reason = typeof entry.reason === 'string' ? entry.reason : '';
      return { tone: 'error', text: `Not delivered: ${SKIP_REASONS[reason] ?? (reason || 'skipped')}` };
    }
    default:
      return undefined;
  }
}
