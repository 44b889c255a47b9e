/**
 * WhatsApp Cloud API "messages" webhook → InboundMessage
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages).
 * `statuses` (sent/delivered/read/failed for our own messages) carry no user message and are ignored, as are types
 * the bot cannot act on (system, unsupported, order). One delivery may batch several entries and messages.
 */
import { z } from 'zod';
import type { InboundContent, InboundMessage, InboundRequest, ParsedWebhook } from '../../sdk/index.ts';

const mediaSchema = z.object({
  id: z.string(),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  voice: z.boolean().optional(),
});
const message = z.object({
  from: z.string(),
  id: z.string(),
  timestamp: z.string(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  image: mediaSchema.optional(),
  audio: mediaSchema.optional(),
  video: mediaSchema.optional(),
  document: mediaSchema.extend({ filename: z.string().optional() }).optional(),
  sticker: mediaSchema.optional(),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
  contacts: z
    .array(
      z.object({
        name: z.object({ formatted_name: z.string() }),
        phones: z.array(z.object({ phone: z.string().optional(), wa_id: z.string().optional() })).optional(),
      }),
    )
    .optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string() }).optional(),
    })
    .optional(),
  button: z.object({ payload: z.string(), text: z.string() }).optional(),
  reaction: z.object({ message_id: z.string(), emoji: z.string().optional() }).optional(),
});
type WhatsAppMessage = z.infer<typeof message>;
const payload = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      changes: z.array(
        z.object({
          field: z.string(),
          value: z.object({
            metadata: z.object({ phone_number_id: z.string() }).optional(),
            contacts: z
              .array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string() }).optional() }))
              .optional(),
            messages: z.array(message).optional(),
          }),
        }),
      ),
    }),
  ),
});

type MediaKind = 'image' | 'audio' | 'voice' | 'video' | 'document' | 'sticker';
function media(kind: MediaKind, item: z.infer<typeof mediaSchema>): InboundContent {
  return {
    kind,
    mediaId: item.id,
    ...(item.mime_type ? { mimeType: item.mime_type } : {}),
    ...(item.caption ? { caption: item.caption } : {}),
  };
}

export function contentOf(m: WhatsAppMessage): InboundContent | null {
  switch (m.type) {
    case 'text':
      return m.text ? { kind: 'text', text: m.text.body } : null;
    case 'image':
    case 'video':
    case 'document':
    case 'sticker': {
      const item = m[m.type];
      return item ? media(m.type, item) : null;
    }
    case 'audio':
      // `voice: true` marks a recorded voice note rather than a shared audio file.
      return m.audio ? media(m.audio.voice ? 'voice' : 'audio', m.audio) : null;
    case 'location':
      return m.location
        ? {
            kind: 'location',
            latitude: m.location.latitude,
            longitude: m.location.longitude,
            ...(m.location.name ? { name: m.location.name } : {}),
          }
        : null;
    case 'contacts': {
      const first = m.contacts?.[0];
      const phone = first?.phones?.[0]?.phone ?? first?.phones?.[0]?.wa_id;
      return first ? { kind: 'contact', name: first.name.formatted_name, ...(phone ? { phone } : {}) } : null;
    }
    case 'interactive': {
      const choice = m.interactive?.button_reply ?? m.interactive?.list_reply;
      return choice ? { kind: 'reply', payload: choice.id, text: choice.title } : null;
    }
    case 'button':
      return m.button ? { kind: 'reply', payload: m.button.payload, text: m.button.text } : null;
    case 'reaction':
      // An empty emoji means the reaction was removed: nothing to answer.
      return m.reaction?.emoji
        ? { kind: 'reaction', emoji: m.reaction.emoji, targetMessageId: m.reaction.message_id }
        : null;
    default:
      return null;
  }
}

export function parseWhatsApp(request: InboundRequest): ParsedWebhook {
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch {
    return { messages: [] };
  }
  const parsed = payload.safeParse(body);
  if (!parsed.success) return { messages: [] };
  const messages: InboundMessage[] = [];
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const names = new Map((change.value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
      for (const m of change.value.messages ?? []) {
        const content = contentOf(m);
        if (!content) continue;
        const name = names.get(m.from);
        messages.push({
          platformMessageId: m.id,
          // The user's WhatsApp id (their phone number in international format) is where replies go.
          conversationKey: m.from,
          user: { id: m.from, phone: `+${m.from}`, ...(name ? { name } : {}) },
          content,
          sentAt: Number(m.timestamp) * 1000,
          // WhatsApp Business chats are one-to-one: every message is for the bot.
          addressed: true,
          ...(change.value.metadata ? { raw: { phoneNumberId: change.value.metadata.phone_number_id } } : {}),
        });
      }
    }
  }
  return { messages };
}
