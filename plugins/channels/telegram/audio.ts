/**
 * sendAudio(): a voice message through sendVoice, multipart (https://core.telegram.org/bots/api#sendvoice). "For
 * this to work, your audio must be in an .OGG file encoded with OPUS, or in .MP3 format, or in .M4A format"; other
 * formats would arrive as a document, so they go through sendAudio (a music-player message) instead.
 */
import type { OutboundAudio, SendResult } from '../../sdk/index.ts';
import { messageIdOf, type TelegramContext, target, uploadTelegram } from './api.ts';

const VOICE_FORMATS: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/opus': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
};

export async function sendTelegramAudio(ctx: TelegramContext, message: OutboundAudio): Promise<SendResult> {
  const mimeType = message.mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  const voiceExtension = VOICE_FORMATS[mimeType];
  const method = voiceExtension ? 'sendVoice' : 'sendAudio';
  const field = voiceExtension ? 'voice' : 'audio';
  const destination = target(message.conversationKey);
  const form = new FormData();
  form.set('chat_id', String(destination.chat_id));
  if (destination.message_thread_id !== undefined) form.set('message_thread_id', String(destination.message_thread_id));
  const extension = voiceExtension ?? mimeType.split('/')[1]?.replace(/[^a-z0-9]/g, '') ?? 'bin';
  form.set(field, new Blob([message.audio], { type: mimeType }), `reply.${extension}`);
  const answer = await uploadTelegram(ctx, method, form);
  if (!answer.ok) return answer.failure;
  return { ok: true, platformMessageIds: [`${destination.chat_id}:${messageIdOf(answer.result)}`] };
}
