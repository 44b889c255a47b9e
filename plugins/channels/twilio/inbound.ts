import type { InboundContent, InboundMessage, InboundRequest, JsonObject, ParsedWebhook } from '../../sdk/index.ts';

/** Placeholder for "Twilio did not say when"; the core should use its receive time instead. */
export const UNKNOWN_SENT_AT = 1;

function mediaKind(
  mime: string,
  whatsappType: string | null,
): 'image' | 'audio' | 'voice' | 'video' | 'document' | 'sticker' {
  if (whatsappType === 'sticker' || mime === 'image/webp') return 'sticker';
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  // WhatsApp voice notes arrive as audio/ogg (Opus) with MessageType=audio; other audio is a file.
  if (mime.startsWith('audio/')) return mime.startsWith('audio/ogg') && whatsappType === 'audio' ? 'voice' : 'audio';
  return 'document';
}

function contents(form: URLSearchParams): InboundContent[] {
  const body = form.get('Body') ?? '';
  const latitude = Number(form.get('Latitude'));
  const longitude = Number(form.get('Longitude'));
  if (form.has('Latitude') && Number.isFinite(latitude) && Number.isFinite(longitude)) {
    const name = form.get('Label') ?? form.get('Address');
    return [{ kind: 'location', latitude, longitude, ...(name ? { name } : {}) }];
  }
  const payload = form.get('ButtonPayload');
  if (payload !== null) return [{ kind: 'reply', payload, text: form.get('ButtonText') ?? body }];
  const media: InboundContent[] = [];
  const count = Number(form.get('NumMedia') ?? '0');
  for (let i = 0; i < Math.min(count, 10); i++) {
    const url = form.get(`MediaUrl${i}`);
    if (!url) continue;
    const mime = form.get(`MediaContentType${i}`) ?? '';
    const caption = i === 0 && body ? { caption: body } : {};
    // The media URL needs the account's Basic auth to fetch.
    media.push({
      kind: mediaKind(mime, form.get('MessageType')),
      mediaId: url,
      ...(mime ? { mimeType: mime } : {}),
      ...caption,
    });
  }
  if (media.length > 0) return media;
  return body ? [{ kind: 'text', text: body }] : [];
}

/**
 * Twilio's incoming-message webhook, form-encoded (https://www.twilio.com/docs/messaging/guides/webhook-request):
 * Body, From, To, MessageSid, NumMedia + MediaUrlN/MediaContentTypeN; WhatsApp adds ProfileName, WaId, MessageType,
 * Latitude/Longitude and ButtonPayload. Replies go to `From` (kept with its `whatsapp:` prefix, which picks the
 * sender). SMS and WhatsApp chats through Twilio are one-to-one, so every message is addressed to the bot.
 * Twilio's webhook carries no timestamp and parse may not read the clock, so `sentAt` is the request's Date header
 * when present, else UNKNOWN_SENT_AT (1 ms: the SDK requires a positive number; see README, SDK change requested).
 */
export function parseTwilio(request: InboundRequest): ParsedWebhook {
  if (request.method !== 'POST' || !/form-urlencoded/.test(request.headers.get('content-type') ?? ''))
    return { messages: [] };
  const form = new URLSearchParams(request.rawBody);
  const sid = form.get('MessageSid') ?? form.get('SmsMessageSid');
  const from = form.get('From');
  if (!sid || !from) return { messages: [] };
  const phone = from.replace(/^whatsapp:/, '');
  const name = form.get('ProfileName');
  const date = Date.parse(request.headers.get('date') ?? '');
  const raw: JsonObject = {
    chatType: 'direct',
    addressed: true,
    to: form.get('To') ?? '',
    channel: from.startsWith('whatsapp:') ? 'whatsapp' : 'sms',
  };
  const items = contents(form);
  const messages = items.map(
    (content, index): InboundMessage => ({
      platformMessageId: index === 0 ? sid : `${sid}#${index}`,
      conversationKey: from,
      user: { id: from, phone, ...(name ? { name } : {}) },
      content,
      sentAt: Number.isFinite(date) ? date : UNKNOWN_SENT_AT,
      addressed: true,
      raw,
    }),
  );
  return { messages };
}
