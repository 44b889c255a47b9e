import { z } from 'zod';
import type { OutboundMessage, PluginContext, SendResult } from '../../sdk/index.ts';
import type { MessengerSettings } from './settings.ts';
import { splitMessenger } from './split.ts';

type Failure = Extract<SendResult, { ok: false }>;

const graphError = z.object({
  error: z.object({ message: z.string(), code: z.number(), error_subcode: z.number().optional() }),
});

/**
 * Graph API error codes (https://developers.facebook.com/docs/messenger-platform/error-codes):
 * 4/17/32/613 rate limits (retryable); 10 + subcode 2018278 outside the 24-hour window and 551 "person isn't
 * available" (blocked the page or deactivated): not retryable; 1/2 transient; 190 invalid token: not retryable.
 */
export function mapMessengerError(status: number, bodyText: string, retryAfter: string | null): Failure {
  let parsed: z.infer<typeof graphError> | null = null;
  try {
    const result = graphError.safeParse(JSON.parse(bodyText));
    if (result.success) parsed = result.data;
  } catch {
    // not JSON: fall through to the HTTP status
  }
  const code = parsed?.error.code;
  const subcode = parsed?.error.error_subcode;
  const message = parsed?.error.message ?? `HTTP ${status}`;
  const seconds = Number(retryAfter);
  if (status === 429 || (code !== undefined && [4, 17, 32, 613].includes(code))) {
    const retryAfterMs = Number.isFinite(seconds) && retryAfter !== null ? seconds * 1000 : 60_000;
    return { ok: false, retryable: true, code: 'rate_limited', message, retryAfterMs };
  }
  if (code === 10 && subcode === 2018278) return { ok: false, retryable: false, code: 'outside_window', message };
  if (code === 551) return { ok: false, retryable: false, code: 'user_unavailable', message };
  if (code === 190) return { ok: false, retryable: false, code: 'invalid_token', message };
  if (status >= 500 || code === 1 || code === 2) return { ok: false, retryable: true, code: 'server_error', message };
  return { ok: false, retryable: false, code: code === undefined ? `http_${status}` : `graph_${code}`, message };
}

function post(ctx: PluginContext<MessengerSettings>, body: unknown): Promise<Response> {
  const { apiBaseUrl, pageId, pageAccessToken } = ctx.settings;
  return ctx.fetch(`${apiBaseUrl.replace(/\/$/, '')}/${encodeURIComponent(pageId)}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${pageAccessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: ctx.signal,
  });
}

/**
 * Send API, one request per chunk, `messaging_type: RESPONSE` (a reply within the 24-hour standard messaging window,
 * https://developers.facebook.com/docs/messenger-platform/send-messages#messaging_types).
 */
export async function sendMessenger(
  ctx: PluginContext<MessengerSettings>,
  message: OutboundMessage,
): Promise<SendResult> {
  const platformMessageIds: string[] = [];
  for (const text of splitMessenger(message.text)) {
    const response = await post(ctx, {
      recipient: { id: message.conversationKey },
      messaging_type: 'RESPONSE',
      message: { text },
    });
    const bodyText = await response.text();
    if (!response.ok) return mapMessengerError(response.status, bodyText, response.headers.get('retry-after'));
    platformMessageIds.push(z.object({ message_id: z.string() }).parse(JSON.parse(bodyText)).message_id);
  }
  return { ok: true, platformMessageIds };
}

/** `sender_action: typing_on` (https://developers.facebook.com/docs/messenger-platform/send-messages/sender-actions). */
export async function sendMessengerTyping(
  ctx: PluginContext<MessengerSettings>,
  conversationKey: string,
): Promise<SendResult> {
  const response = await post(ctx, { recipient: { id: conversationKey }, sender_action: 'typing_on' });
  const bodyText = await response.text();
  if (!response.ok) return mapMessengerError(response.status, bodyText, response.headers.get('retry-after'));
  return { ok: true, platformMessageIds: [] };
}
