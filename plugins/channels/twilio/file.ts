import { z } from 'zod';
import type { OutboundFile, PluginContext, SendResult } from '../../sdk/index.ts';
import { mapTwilioError, messagesUrl, sender, twilioHeaders } from './outbound.ts';
import type { TwilioSettings } from './settings.ts';
import { TWILIO_MAX_BODY } from './split.ts';

/**
 * "The total size of all attached media must be less than 5 MB" for MMS
 * (https://www.twilio.com/docs/messaging/guides/accepted-mime-types); WhatsApp through Twilio takes up to 16 MB, but
 * one channel answers both, so the smaller limit holds for both.
 */
export const TWILIO_MAX_FILE_BYTES = 5 * 1024 * 1024;

/**
 * One message carrying the file as `MediaUrl`, which Twilio fetches itself (it takes no uploaded bytes): the core's
 * signed, expiring link (`file.url`). The caption, if any, is the message's `Body`; a file alone needs none.
 */
export async function sendTwilioFile(ctx: PluginContext<TwilioSettings>, file: OutboundFile): Promise<SendResult> {
  if (!file.url) {
    const message = 'Twilio fetches media from a public URL, and none was given for this file';
    return { ok: false, retryable: false, code: 'no_media_url', message };
  }
  const from = sender(ctx.settings, file.conversationKey);
  if (!from) {
    const text = 'No smsFrom, whatsappFrom or messagingServiceSid set for this channel';
    return { ok: false, retryable: false, code: 'no_sender', message: text };
  }
  const form = new URLSearchParams({ To: file.conversationKey, ...from, MediaUrl: file.url });
  if (file.caption) form.set('Body', file.caption.slice(0, TWILIO_MAX_BODY));
  const response = await ctx.fetch(messagesUrl(ctx.settings), {
    method: 'POST',
    headers: twilioHeaders(ctx.settings),
    body: form.toString(),
    signal: ctx.signal,
  });
  const text = await response.text();
  if (!response.ok) return mapTwilioError(response.status, text, response.headers.get('retry-after'));
  return { ok: true, platformMessageIds: [z.object({ sid: z.string() }).parse(JSON.parse(text)).sid] };
}
