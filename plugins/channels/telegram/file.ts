/**
 * sendFile(): a reply's file as a document through sendDocument, multipart (https://core.telegram.org/bots/api#senddocument:
 * "Bots can currently send files of any type of up to 50 MB in size"). JPEG, PNG and WebP images up to 10 MB go
 * through sendPhoto instead, shown inline ("The photo must be at most 10 MB in size. The photo's width and height must
 * not exceed 10000 in total. Width and height ratio must be at most 20": https://core.telegram.org/bots/api#sendphoto);
 * a photo Telegram refuses (its dimensions, which we do not parse) is sent again as a document.
 */
import type { OutboundFile, SendResult } from '../../sdk/index.ts';
import { messageIdOf, type TelegramContext, target, uploadTelegram } from './api.ts';

/** sendDocument's limit for bots, in bytes. */
export const TELEGRAM_MAX_FILE_BYTES = 50 * 1024 * 1024;
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
/** "Photo caption … 0-1024 characters after entities parsing"; sent without parse_mode, so as written. */
const CAPTION_MAX = 1024;

async function upload(ctx: TelegramContext, file: OutboundFile, as: 'photo' | 'document'): Promise<SendResult> {
  const destination = target(file.conversationKey);
  const form = new FormData();
  form.set('chat_id', String(destination.chat_id));
  if (destination.message_thread_id !== undefined) form.set('message_thread_id', String(destination.message_thread_id));
  if (file.caption) form.set('caption', [...file.caption].slice(0, CAPTION_MAX).join(''));
  form.set(as, new Blob([file.bytes], { type: file.mimeType }), file.name);
  const answer = await uploadTelegram(ctx, as === 'photo' ? 'sendPhoto' : 'sendDocument', form);
  if (!answer.ok) return answer.failure;
  return { ok: true, platformMessageIds: [`${destination.chat_id}:${messageIdOf(answer.result)}`] };
}

export async function sendTelegramFile(ctx: TelegramContext, file: OutboundFile): Promise<SendResult> {
  if (PHOTO_TYPES.has(file.mimeType) && file.bytes.byteLength <= PHOTO_MAX_BYTES) {
    const photo = await upload(ctx, file, 'photo');
    // A 400 about the photo itself (PHOTO_INVALID_DIMENSIONS, IMAGE_PROCESS_FAILED): the same bytes as a document.
    if (photo.ok || photo.retryable || photo.code === 'blocked' || photo.code === 'unauthorized') return photo;
  }
  return upload(ctx, file, 'document');
}
