import { z } from 'zod';
import type { OutboundMessage, PluginContext, SendResult } from '../../sdk/index.ts';
import type { TwilioSettings } from './settings.ts';
import { splitTwilio } from './split.ts';

type Failure = Extract<SendResult, { ok: false }>;

const twilioError = z.object({ code: z.number().nullish(), message: z.string() });

/**
 * Twilio error codes (https://www.twilio.com/docs/api/errors): 20429 / HTTP 429 too many requests (retryable);
 * 21610 the recipient replied STOP, 21211/21614 invalid or non-mobile number, 63016 WhatsApp message outside the
 * 24-hour window, 20003 bad credentials: not retryable; 5xx retryable.
 */
export function mapTwilioError(status: number, bodyText: string, retryAfter: string | null): Failure {
  let parsed: z.infer<typeof twilioError> | null = null;
  try {
    const result = twilioError.safeParse(JSON.parse(bodyText));
    if (result.success) parsed = result.data;
  } catch {
    // not JSON: judged by status
  }
  const code = parsed?.code ?? undefined;
  const message = parsed?.message ?? `HTTP ${status}`;
  if (status === 429 || code === 20429) {
    const seconds = Number(retryAfter);
    const retryAfterMs = retryAfter !== null && Number.isFinite(seconds) ? seconds * 1000 : 1000;
    return { ok: false, retryable: true, code: 'rate_limited', message, retryAfterMs };
  }
  if (code === 21610) return { ok: false, retryable: false, code: 'unsubscribed', message };
  if (code === 63016) return { ok: false, retryable: false, code: 'outside_window', message };
  if (status >= 500) return { ok: false, retryable: true, code: 'server_error', message };
  return { ok: false, retryable: false, code: code === undefined ? `http_${status}` : `twilio_${code}`, message };
}

/** The sender for a reply: the Messaging Service, else the number of the same channel (SMS or WhatsApp). */
export function sender(settings: TwilioSettings, to: string): Record<string, string> | null {
  if (settings.messagingServiceSid) return { MessagingServiceSid: settings.messagingServiceSid };
  const from = to.startsWith('whatsapp:') ? settings.whatsappFrom : settings.smsFrom;
  return from ? { From: from } : null;
}

/** The Messages resource of the channel's account. */
export function messagesUrl({ apiBaseUrl, accountSid }: TwilioSettings): string {
  return `${apiBaseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
}

/** HTTP Basic auth with the account's SID and auth token, and the form body Twilio's REST API takes. */
export function twilioHeaders({ accountSid, authToken }: TwilioSettings): Record<string, string> {
  return {
    authorization: `Basic ${btoa(`${accountSid}:${authToken}`)}`,
    'content-type': 'application/x-www-form-urlencoded',
  };
}

/** POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded, HTTP Basic auth, one message per chunk. */
export async function sendTwilio(ctx: PluginContext<TwilioSettings>, message: OutboundMessage): Promise<SendResult> {
  const from = sender(ctx.settings, message.conversationKey);
  if (!from) {
    const text = 'No smsFrom, whatsappFrom or messagingServiceSid set for this channel';
    return { ok: false, retryable: false, code: 'no_sender', message: text };
  }
  const url = messagesUrl(ctx.settings);
  const platformMessageIds: string[] = [];
  for (const body of splitTwilio(message.text)) {
    const response = await ctx.fetch(url, {
      method: 'POST',
      headers: twilioHeaders(ctx.settings),
      body: new URLSearchParams({ To: message.conversationKey, ...from, Body: body }).toString(),
      signal: ctx.signal,
    });
    const text = await response.text();
    if (!response.ok) return mapTwilioError(response.status, text, response.headers.get('retry-after'));
    platformMessageIds.push(z.object({ sid: z.string() }).parse(JSON.parse(text)).sid);
  }
  return { ok: true, platformMessageIds };
}
