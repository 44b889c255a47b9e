/**
 * Telegram Update → InboundMessage (https://core.telegram.org/bots/api#update). Parsing is lenient: the official
 * samples predate required fields such as `file_unique_id` and `is_bot`, and unknown update types yield nothing.
 * Message ids are unique per chat only, so platform ids are prefixed with the chat id.
 */
import { z } from 'zod';
import type { InboundContent, InboundMessage, InboundRequest, ParsedWebhook } from '../../sdk/index.ts';
import { botIdentity, isAddressed } from './addressing.ts';
import type { TelegramSettings } from './settings.ts';

const user = z.object({
  id: z.number(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});
const file = z.object({ file_id: z.string(), mime_type: z.string().optional() });
const entity = z.object({
  type: z.string(),
  offset: z.number(),
  length: z.number(),
  user: z.object({ id: z.number(), username: z.string().optional() }).optional(),
});
const messageSchema = z.object({
  message_id: z.number(),
  message_thread_id: z.number().optional(),
  date: z.number(),
  edit_date: z.number().optional(),
  chat: z.object({ id: z.number(), type: z.string().optional() }),
  from: user.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(entity).optional(),
  caption_entities: z.array(entity).optional(),
  photo: z.array(file).optional(),
  voice: file.optional(),
  audio: file.optional(),
  video: file.optional(),
  video_note: file.optional(),
  document: file.optional(),
  sticker: file.extend({ emoji: z.string().optional() }).optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  venue: z
    .object({ location: z.object({ latitude: z.number(), longitude: z.number() }), title: z.string() })
    .optional(),
  contact: z.object({ phone_number: z.string(), first_name: z.string(), last_name: z.string().optional() }).optional(),
  reply_to_message: z.object({ message_id: z.number(), from: user.optional() }).optional(),
});
type TelegramMessage = z.infer<typeof messageSchema>;
const reactionType = z.object({ type: z.string(), emoji: z.string().optional() });
const update = z.object({
  update_id: z.number(),
  message: messageSchema.optional(),
  edited_message: messageSchema.optional(),
  callback_query: z
    .object({ id: z.string(), from: user, data: z.string().optional(), message: messageSchema.optional() })
    .optional(),
  message_reaction: z
    .object({
      chat: z.object({ id: z.number(), type: z.string().optional() }),
      message_id: z.number(),
      message_thread_id: z.number().optional(),
      user: user.optional(),
      date: z.number(),
      new_reaction: z.array(reactionType),
    })
    .optional(),
});

const nameOf = (from: z.infer<typeof user>) => [from.first_name, from.last_name].filter(Boolean).join(' ') || undefined;

function platformUser(from: z.infer<typeof user>): InboundMessage['user'] {
  const name = nameOf(from);
  return name ? { id: String(from.id), name } : { id: String(from.id) };
}

/** Forum topics are separate conversations: "chatId" or "chatId:threadId". */
export const conversationKeyOf = (chatId: number, threadId?: number): string =>
  threadId === undefined ? String(chatId) : `${chatId}:${threadId}`;

function media(
  kind: 'image' | 'audio' | 'voice' | 'video' | 'document' | 'sticker',
  f: z.infer<typeof file>,
  caption?: string,
): InboundContent {
  return {
    kind,
    mediaId: f.file_id,
    ...(f.mime_type ? { mimeType: f.mime_type } : {}),
    ...(caption ? { caption } : {}),
  };
}

function contentOf(message: TelegramMessage): InboundContent | null {
  const caption = message.caption;
  const largestPhoto = message.photo?.at(-1); // "array of the available sizes", smallest first
  if (message.text !== undefined) return { kind: 'text', text: message.text };
  if (largestPhoto) return media('image', largestPhoto, caption);
  if (message.voice) return media('voice', message.voice, caption);
  if (message.video_note) return media('video', message.video_note, caption);
  if (message.audio) return media('audio', message.audio, caption);
  if (message.video) return media('video', message.video, caption);
  if (message.sticker) return media('sticker', message.sticker, message.sticker.emoji);
  if (message.document) return media('document', message.document, caption);
  if (message.venue) return { kind: 'location', ...message.venue.location, name: message.venue.title };
  if (message.location) return { kind: 'location', ...message.location };
  if (message.contact) {
    const { first_name, last_name, phone_number } = message.contact;
    return { kind: 'contact', name: [first_name, last_name].filter(Boolean).join(' '), phone: phone_number };
  }
  return null;
}

type Bot = ReturnType<typeof botIdentity>;

function addressedBy(message: TelegramMessage, bot: Bot): boolean {
  const replyTo = message.reply_to_message?.from;
  return isAddressed(
    {
      chatType: message.chat.type,
      text: message.text ?? message.caption,
      entities: [...(message.entities ?? []), ...(message.caption_entities ?? [])],
      replyTo: replyTo ? { id: replyTo.id, username: replyTo.username } : undefined,
    },
    bot,
  );
}

function fromMessage(message: TelegramMessage, edited: boolean, bot: Bot): InboundMessage | null {
  const content = contentOf(message);
  if (!content || !message.from) return null;
  const chat = message.chat.id;
  const base = {
    conversationKey: conversationKeyOf(chat, message.message_thread_id),
    user: platformUser(message.from),
    addressed: addressedBy(message, bot),
    raw: { chatType: message.chat.type ?? 'private' },
  };
  if (!edited) {
    return { ...base, platformMessageId: `${chat}:${message.message_id}`, content, sentAt: message.date * 1000 };
  }
  const text = content.kind === 'text' ? content.text : (message.caption ?? '');
  const editedAt = message.edit_date ?? message.date;
  return {
    ...base,
    platformMessageId: `${chat}:${message.message_id}:edit:${editedAt}`,
    content: { kind: 'edit', targetMessageId: `${chat}:${message.message_id}`, text },
    sentAt: editedAt * 1000,
  };
}

export function parseTelegram(
  request: InboundRequest,
  settings: Pick<TelegramSettings, 'botToken' | 'botUsername'>,
): ParsedWebhook {
  const bot = botIdentity(settings);
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch {
    return { messages: [] };
  }
  const parsed = update.safeParse(body);
  if (!parsed.success) return { messages: [] };
  const { message, edited_message, callback_query, message_reaction } = parsed.data;
  const out: (InboundMessage | null)[] = [];
  if (message) out.push(fromMessage(message, false, bot));
  if (edited_message) out.push(fromMessage(edited_message, true, bot));
  // A button press. Callbacks carry no timestamp; the keyboard message's date is the closest one. Callbacks from
  // inline-mode messages (no `message`, only inline_message_id) have neither chat nor time and are skipped.
  if (callback_query?.message) {
    const m = callback_query.message;
    out.push({
      platformMessageId: `callback:${callback_query.id}`,
      conversationKey: conversationKeyOf(m.chat.id, m.message_thread_id),
      user: platformUser(callback_query.from),
      content: { kind: 'reply', payload: callback_query.data ?? '', text: m.text ?? callback_query.data ?? '' },
      sentAt: m.date * 1000,
      // A button press answers the bot's own keyboard: addressed to it even in groups.
      addressed: true,
      raw: { chatType: m.chat.type ?? 'private', callbackQueryId: callback_query.id },
    });
  }
  const emoji = message_reaction?.new_reaction.find((r) => r.emoji)?.emoji;
  if (message_reaction?.user && emoji) {
    const { chat, message_id, user: from, date } = message_reaction;
    out.push({
      platformMessageId: `${chat.id}:${message_id}:reaction:${from.id}:${date}`,
      conversationKey: conversationKeyOf(chat.id, message_reaction.message_thread_id),
      user: platformUser(from),
      content: { kind: 'reaction', emoji, targetMessageId: `${chat.id}:${message_id}` },
      sentAt: date * 1000,
      // The update does not say whose message was reacted to: only private-chat reactions are surely for the bot.
      addressed: (chat.type ?? 'private') === 'private',
    });
  }
  return { messages: out.filter((m): m is InboundMessage => m !== null) };
}
