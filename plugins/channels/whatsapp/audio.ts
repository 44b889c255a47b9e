/**
 * sendAudio(): upload the audio (`POST /{version}/{phone-number-id}/media`, multipart: messaging_product, type,
 * file; https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#upload-media), then send a
 * `type: audio` message with the returned media id. Supported audio: AAC, AMR, MP3, MP4 audio and OGG with the Opus
 * codec, up to 16 MB (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types);
 * Ogg/Opus plays as a voice note.
 */
import type { OutboundAudio, PluginContext, SendResult } from '../../sdk/index.ts';
import { post, sentMessageId } from './outbound.ts';
import type { WhatsAppSettings } from './settings.ts';
import { uploadWhatsAppMedia } from './upload.ts';

type Ctx = PluginContext<WhatsAppSettings>;

const EXTENSIONS: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
};

export async function sendWhatsAppAudio(ctx: Ctx, message: OutboundAudio): Promise<SendResult> {
  const mimeType = message.mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!EXTENSIONS[mimeType]) {
    const text = `WhatsApp does not play ${mimeType || 'this audio'}; send AAC, AMR, MP3, M4A or Ogg/Opus`;
    return { ok: false, retryable: false, code: 'unsupported_audio', message: text };
  }
  const uploaded = await uploadWhatsAppMedia(ctx, message.audio, mimeType, `reply.${EXTENSIONS[mimeType]}`);
  if (!uploaded.ok) return uploaded;
  const answer = await post(ctx, {
    recipient_type: 'individual',
    to: message.conversationKey,
    type: 'audio',
    audio: { id: uploaded.id },
  });
  if (!answer.ok) return answer;
  const id = sentMessageId(answer.json);
  if (!id) return { ok: false, retryable: false, code: 'bad_response', message: 'No message id in the response' };
  return { ok: true, platformMessageIds: [id] };
}
