/**
 * Sending with the Cloud API: POST {apiBaseUrl}/{apiVersion}/{phoneNumberId}/messages, Bearer access token
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages). Errors come back as
 * `{ error: { message, type, code, error_data?, fbtrace_id } }` and are mapped by `code`
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
 */

import { splitFormatted } from '../../sdk/channel-helpers/split.ts';
import type { PluginContext, SendResult } from '../../sdk/index.ts';
import { toWhatsApp } from './format.ts';
import type { WhatsAppSettings } from './settings.ts';

/** text.body: "Maximum 4096 characters" (Cloud API messages reference, text object). */
export const WHATSAPP_MAX_MESSAGE_LENGTH = 4096;

type Ctx = PluginContext<WhatsAppSettings>;
type Failure = Extract<SendResult, { ok: false }>;

/** Throughput (130429) and pair (131056) rate limits carry no Retry-After; back off this long. */
const RATE_LIMIT_BACKOFF_MS: Record<number, number> = {
  130429: 1_000, // "Cloud API message throughput has been reached": 80 msg/s by default.
  131056: 6_000, // "(Business Account, Consumer Account) pair rate limit hit": about one message per 6 s.
  80007: 60_000, // WhatsApp Business Account rate limit.
};
/** Codes Meta documents as transient ("try again later"). */
const TRANSIENT = new Set([1, 2, 131000, 131016, 133004]);

export function messagesUrl(settings: WhatsAppSettings): string {
  return `${settings.apiBaseUrl.replace(/\/+$/, '')}/${settings.apiVersion}/${settings.phoneNumberId}/messages`;
}

export function mapWhatsAppError(status: number, body: unknown, retryAfterHeader: string | null): Failure {
  const error =
    (body as { error?: { code?: number; message?: string; error_data?: { details?: string } } } | null)?.error ?? {};
  const code = error.code ?? status;
  const message = [error.message, error.error_data?.details].filter(Boolean).join(': ') || `HTTP ${status}`;
  const backoff = RATE_LIMIT_BACKOFF_MS[code];
  if (backoff !== undefined || status === 429) {
    const header = Number(retryAfterHeader);
    const retryAfterMs = Number.isFinite(header) && header > 0 ? header * 1000 : (backoff ?? 1_000);
    return { ok: false, retryable: true, code: 'rate_limited', message, retryAfterMs };
  }
  // 131047 "Re-engagement message": over 24 h since the user last wrote; only a template may be sent now.
  if (code === 131047) return { ok: false, retryable: false, code: 'window_expired', message };
  // 131026 "Message undeliverable" (not on WhatsApp, blocked the business, old app), 131050 user opted out of marketing.
  if (code === 131026 || code === 131050) return { ok: false, retryable: false, code: 'blocked', message };
  if (code === 190 || status === 401) return { ok: false, retryable: false, code: 'unauthorized', message };
  if (status >= 500 || TRANSIENT.has(code)) return { ok: false, retryable: true, code: `whatsapp_${code}`, message };
  return { ok: false, retryable: false, code: `whatsapp_${code}`, message };
}

/** POST …/messages with `messaging_product: whatsapp` added: the parsed answer, or the mapped failure. */
export async function post(ctx: Ctx, body: Record<string, unknown>): Promise<{ ok: true; json: unknown } | Failure> {
  const response = await ctx.fetch(messagesUrl(ctx.settings), {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.settings.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messaging_product: 'whatsapp', ...body }),
    signal: ctx.signal,
  });
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = null;
  }
  return response.ok
    ? { ok: true, json }
    : mapWhatsAppError(response.status, json, response.headers.get('retry-after'));
}

/** The wamid of a message the Cloud API accepted. */
export const sentMessageId = (json: unknown): string | undefined =>
  (json as { messages?: { id?: string }[] } | null)?.messages?.[0]?.id;

/** Free-form text, split at 4096 characters; allowed only within 24 h of the user's last message. */
export async function sendWhatsApp(ctx: Ctx, to: string, markdown: string): Promise<SendResult> {
  const platformMessageIds: string[] = [];
  for (const text of splitFormatted(markdown, WHATSAPP_MAX_MESSAGE_LENGTH, toWhatsApp)) {
    const answer = await post(ctx, {
      recipient_type: 'individual',
      to,
      type: 'text',
      text: { preview_url: false, body: text },
    });
    if (!answer.ok) return answer;
    const id = sentMessageId(answer.json);
    if (!id) return { ok: false, retryable: false, code: 'bad_response', message: 'No message id in the response' };
    platformMessageIds.push(id);
  }
  return { ok: true, platformMessageIds };
}
