/**
 * sendFile(): upload the file (upload.ts), then send a `document` message (with its filename and caption) or, for
 * JPEG and PNG up to 5 MB, an `image` message, by media id
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages#media-object). The Cloud API takes only
 * its listed types (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types):
 * documents are text, PDF and Office files up to 100 MB, images JPEG and PNG up to 5 MB. CSV is plain text, so it goes
 * as text/plain with its own name; any other type is refused here with a clear reason rather than by an upload error.
 */
import type { OutboundFile, PluginContext, SendResult } from '../../sdk/index.ts';
import { post, sentMessageId } from './outbound.ts';
import type { WhatsAppSettings } from './settings.ts';
import { uploadWhatsAppMedia } from './upload.ts';

/** The documents' limit, the largest kind we send. */
export const WHATSAPP_MAX_FILE_BYTES = 100 * 1024 * 1024;
const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png']);
const DOCUMENT_TYPES = new Set([
  'text/plain',
  'application/pdf',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);
/** "Media asset caption. Maximum 1024 characters." */
const CAPTION_MAX = 1024;

type Kind = { type: 'image' | 'document'; uploadAs: string } | { refused: string };

function kindOf(file: OutboundFile): Kind {
  const mimeType = file.mimeType === 'text/csv' ? 'text/plain' : file.mimeType;
  if (IMAGE_TYPES.has(mimeType)) {
    return file.bytes.byteLength <= IMAGE_MAX_BYTES
      ? { type: 'image', uploadAs: mimeType }
      : { refused: 'WhatsApp sends JPEG and PNG images of at most 5 MB' };
  }
  if (DOCUMENT_TYPES.has(mimeType)) return { type: 'document', uploadAs: mimeType };
  return { refused: `WhatsApp does not send ${file.mimeType} files; only text, PDF, Office documents and JPEG/PNG` };
}

export async function sendWhatsAppFile(ctx: PluginContext<WhatsAppSettings>, file: OutboundFile): Promise<SendResult> {
  const kind = kindOf(file);
  if ('refused' in kind) return { ok: false, retryable: false, code: 'unsupported_file', message: kind.refused };
  const uploaded = await uploadWhatsAppMedia(ctx, file.bytes, kind.uploadAs, file.name);
  if (!uploaded.ok) return uploaded;
  const caption = file.caption ? { caption: [...file.caption].slice(0, CAPTION_MAX).join('') } : {};
  const media =
    kind.type === 'document' ? { id: uploaded.id, filename: file.name, ...caption } : { id: uploaded.id, ...caption };
  const answer = await post(ctx, {
    recipient_type: 'individual',
    to: file.conversationKey,
    type: kind.type,
    [kind.type]: media,
  });
  if (!answer.ok) return answer;
  const id = sentMessageId(answer.json);
  if (!id) return { ok: false, retryable: false, code: 'bad_response', message: 'No message id in the response' };
  return { ok: true, platformMessageIds: [id] };
}
