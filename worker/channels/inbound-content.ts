import type { InboundContent, InboundMessage, JsonObject } from '../../plugins/sdk/index.ts';
import { MAX_USER_MESSAGE_CHARS } from '../conversation/inputs.ts';
import type { Env } from '../env.ts';
import { storeInboundMedia } from './inbound-media.ts';
import type { ChannelRuntime } from './runtime.ts';
import { transcribeVoice } from './voice.ts';

/** What the conversation gets for one inbound message: the user message, and a verbatim reply when the model can't help. */
export interface ConversationInput {
  text: string;
  attachments?: string[];
  metadata: JsonObject;
  /** Answer with this text instead of asking the model (H3's cannedReply): content the chatbot cannot use. */
  cannedReply?: string;
}

type MediaContent = Extract<InboundContent, { mediaId: string }>;

/** The text a message is stored with: never empty (messageText requires one character) and within its cap. */
const messageTextOf = (text: string, fallback: string) => {
  const trimmed = text.trim();
  return (trimmed === '' ? fallback : trimmed).slice(0, MAX_USER_MESSAGE_CHARS);
};

const describe = (kind: string, caption?: string) => (caption?.trim() ? `[${kind}] ${caption.trim()}` : `[${kind}]`);

/**
 * Turns normalized inbound content into the user message. Media is downloaded and stored as an attachment of the
 * conversation first; voice is transcribed. Reactions are not messages and never reach here.
 */
export async function conversationInput(
  env: Env,
  channel: ChannelRuntime,
  target: { teamId: string; conversationId: string },
  message: InboundMessage,
  attempts: number,
): Promise<ConversationInput> {
  const content = message.content;
  const metadata: JsonObject = { channelMessage: { id: message.platformMessageId, kind: content.kind } };
  switch (content.kind) {
    case 'text':
      return { text: messageTextOf(content.text, '[empty message]'), metadata };
    case 'reply':
      return {
        text: messageTextOf(content.text, content.payload),
        metadata: { ...metadata, payload: content.payload },
      };
    case 'location': {
      const place = content.name ? ` (${content.name})` : '';
      return { text: messageTextOf(`📍 ${content.latitude}, ${content.longitude}${place}`, '📍'), metadata };
    }
    case 'contact':
      return { text: messageTextOf(`👤 ${[content.name, content.phone].filter(Boolean).join(', ')}`, '👤'), metadata };
    case 'edit':
      return {
        text: messageTextOf(content.text, '[edited message]'),
        metadata: { ...metadata, editOf: content.targetMessageId },
      };
    case 'reaction':
      return { text: messageTextOf(content.emoji, '[reaction]'), metadata };
    default:
      return mediaInput(
        env,
        channel,
        { ...target, platformMessageId: message.platformMessageId },
        content,
        metadata,
        attempts,
      );
  }
}

async function mediaInput(
  env: Env,
  channel: ChannelRuntime,
  target: { teamId: string; conversationId: string; platformMessageId: string },
  content: MediaContent,
  metadata: JsonObject,
  attempts: number,
): Promise<ConversationInput> {
  const unsupported = (stored?: string): ConversationInput => ({
    text: describe(content.kind, content.caption),
    ...(stored && { attachments: [stored] }),
    metadata,
    cannedReply: channel.options.unsupportedReply,
  });
  if (content.kind === 'sticker' || content.kind === 'video') return unsupported();
  const outcome = await storeInboundMedia(env, channel, target, content, attempts);
  if (!outcome.ok) return unsupported();
  const { media } = outcome;
  if (content.kind === 'image' || content.kind === 'document') {
    return { text: messageTextOf(content.caption ?? '', `[${content.kind}]`), attachments: [media.fileId], metadata };
  }
  // voice and audio: the transcript is the message; the recording stays attached.
  const transcript = await transcribeVoice(env, channel, { body: media.body, mimeType: media.mimeType });
  if (!transcript?.trim()) return unsupported(media.fileId);
  const text = content.caption?.trim() ? `${transcript.trim()}\n\n${content.caption.trim()}` : transcript;
  return {
    text: messageTextOf(text, `[${content.kind}]`),
    attachments: [media.fileId],
    metadata: { ...metadata, voice: true },
  };
}
