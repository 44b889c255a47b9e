import { z } from 'zod';
import type { InboundContent, InboundMessage, InboundRequest, ParsedWebhook } from '../../sdk/index.ts';

const attachment = z.object({
  type: z.string(),
  payload: z
    .object({
      url: z.string().optional(),
      sticker_id: z.number().optional(),
      coordinates: z.object({ lat: z.number(), long: z.number() }).optional(),
      title: z.string().optional(),
    })
    .nullish(),
  title: z.string().optional(),
});

const event = z.object({
  sender: z.object({ id: z.string() }),
  recipient: z.object({ id: z.string() }),
  timestamp: z.number().optional(),
  message: z
    .object({
      mid: z.string(),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      sticker_id: z.number().optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      attachments: z.array(attachment).optional(),
    })
    .optional(),
  postback: z.object({ mid: z.string().optional(), title: z.string(), payload: z.string() }).optional(),
  reaction: z
    .object({ mid: z.string(), action: z.string(), reaction: z.string().optional(), emoji: z.string().optional() })
    .optional(),
  message_edit: z.object({ mid: z.string(), text: z.string(), num_edit: z.number() }).optional(),
});
type MessagingEvent = z.infer<typeof event>;

const body = z.object({
  object: z.string(),
  entry: z.array(z.object({ time: z.number().optional(), messaging: z.array(z.unknown()).optional() })).default([]),
});

function attachmentContent(item: z.infer<typeof attachment>, caption?: string): InboundContent | null {
  const url = item.payload?.url;
  const withCaption = caption ? { caption } : {};
  if (item.type === 'location' && item.payload?.coordinates) {
    const { lat, long } = item.payload.coordinates;
    return { kind: 'location', latitude: lat, longitude: long, ...(item.title ? { name: item.title } : {}) };
  }
  if (!url) return null;
  if (item.payload?.sticker_id !== undefined) return { kind: 'sticker', mediaId: url };
  const kinds: Record<string, 'image' | 'audio' | 'video' | 'document'> = {
    image: 'image',
    audio: 'audio',
    video: 'video',
    file: 'document',
  };
  const kind = kinds[item.type];
  return kind ? { kind, mediaId: url, ...withCaption } : null;
}

/** Contents of one messaging event, each with a suffix that keeps ids unique within one message. */
function contents(item: MessagingEvent): { id: string; content: InboundContent }[] {
  const { message, postback, reaction, message_edit: edit } = item;
  if (message && !message.is_echo) {
    if (message.quick_reply) {
      const text = message.text ?? message.quick_reply.payload;
      return [{ id: message.mid, content: { kind: 'reply', payload: message.quick_reply.payload, text } }];
    }
    const media = (message.attachments ?? [])
      .map((part, index) => attachmentContent(part, index === 0 ? message.text : undefined))
      .filter((content): content is InboundContent => content !== null);
    if (media.length > 0) {
      return media.map((content, index) => ({ id: index === 0 ? message.mid : `${message.mid}#${index}`, content }));
    }
    if (message.text !== undefined) return [{ id: message.mid, content: { kind: 'text', text: message.text } }];
    return [];
  }
  if (postback) {
    const id = postback.mid ?? `postback:${item.sender.id}:${item.timestamp ?? 0}`;
    return [{ id, content: { kind: 'reply', payload: postback.payload, text: postback.title } }];
  }
  if (reaction && reaction.action === 'react' && reaction.emoji) {
    const id = `reaction:${reaction.mid}:${item.sender.id}:${item.timestamp ?? 0}`;
    return [{ id, content: { kind: 'reaction', emoji: reaction.emoji, targetMessageId: reaction.mid } }];
  }
  if (edit) {
    const content: InboundContent = { kind: 'edit', targetMessageId: edit.mid, text: edit.text };
    return [{ id: `${edit.mid}:edit:${edit.num_edit}`, content }];
  }
  return []; // deliveries, reads, echoes, opt-ins: nothing for the bot to answer
}

/**
 * Normalizes an `object: page` webhook: `entry[].messaging[]` events
 * (https://developers.facebook.com/docs/messenger-platform/reference/webhook-events). Messenger chats are one-to-one
 * between a person (PSID) and the page, so every message is addressed to the bot and replies go to the sender's PSID.
 */
export function parseMessenger(request: InboundRequest): ParsedWebhook {
  if (request.method !== 'POST') return { messages: [] };
  let json: unknown;
  try {
    json = JSON.parse(request.rawBody);
  } catch {
    return { messages: [] };
  }
  const parsed = body.safeParse(json);
  if (!parsed.success || parsed.data.object !== 'page') return { messages: [] };
  const messages: InboundMessage[] = [];
  for (const entry of parsed.data.entry) {
    for (const candidate of entry.messaging ?? []) {
      const item = event.safeParse(candidate);
      if (!item.success) continue;
      for (const { id, content } of contents(item.data)) {
        messages.push({
          platformMessageId: id,
          conversationKey: item.data.sender.id,
          user: { id: item.data.sender.id },
          content,
          sentAt: item.data.timestamp ?? entry.time ?? 0,
          addressed: true,
          raw: { pageId: item.data.recipient.id, chatType: 'direct', addressed: true },
        });
      }
    }
  }
  return { messages };
}
