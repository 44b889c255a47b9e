import type { EmailContext, OutgoingEmail } from '../../sdk/index.ts';
import { EmailError, retryAfterMs } from '../../sdk/index.ts';
import type { ResendSettings } from './settings.ts';

/** Resend keeps idempotency keys of at most 256 characters (resend.com/docs/dashboard/emails/idempotency-keys). */
const MAX_IDEMPOTENCY_KEY = 256;

/** The send-email body of `POST /emails` (resend.com/docs/api-reference/emails/send-email). */
export interface ResendEmailBody {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html?: string;
  reply_to?: string;
}

/** `{ statusCode, name, message }`: Resend's error body (resend.com/docs/api-reference/errors). */
interface ResendErrorBody {
  statusCode?: number;
  name?: string;
  message?: string;
}

export async function sendWithResend(
  ctx: EmailContext<ResendSettings>,
  message: OutgoingEmail,
): Promise<{ id: string }> {
  const body: ResendEmailBody = {
    from: message.from,
    to: [...message.to],
    subject: message.subject,
    text: message.text,
    ...(message.html !== undefined && { html: message.html }),
    ...(message.replyTo !== undefined && { reply_to: message.replyTo }),
  };
  let res: Response;
  try {
    res = await ctx.fetch(`${ctx.settings.baseUrl.replace(/\/+$/, '')}/emails`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ctx.settings.apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': await idempotencyKey(message.idempotencyKey),
      },
      body: JSON.stringify(body),
      signal: ctx.signal,
    });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmailError(scrub(`Could not reach Resend: ${reason}`, ctx.settings.apiKey), true);
  }
  const text = await res.text();
  if (res.ok) {
    const id = parse(text)?.id;
    if (typeof id !== 'string' || id === '') throw new EmailError('Resend accepted the email but returned no id', true);
    return { id };
  }
  throw resendError(res, parse(text) as ResendErrorBody | undefined, ctx);
}

function resendError(res: Response, body: ResendErrorBody | undefined, ctx: EmailContext<ResendSettings>): EmailError {
  const name = typeof body?.name === 'string' ? body.name : 'error';
  const detail = typeof body?.message === 'string' ? body.message : res.statusText;
  // 429 (rate_limit_exceeded, daily_quota_exceeded) and 5xx pass; so does a second request racing the first with the
  // same key (409 concurrent_idempotent_requests). 400/401/403/409/422 mean the request or the key must change.
  const retryable = res.status === 429 || res.status >= 500 || name === 'concurrent_idempotent_requests';
  const wait = retryable ? retryAfterMs(res.headers.get('retry-after'), ctx.clock.now()) : undefined;
  const hint =
    res.status === 401 || res.status === 403 ? ' (check the API key and that the from domain is verified)' : '';
  return new EmailError(
    scrub(`Resend refused the email: ${res.status} ${name}: ${detail}${hint}`, ctx.settings.apiKey),
    retryable,
    wait,
  );
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The key as Resend takes it: itself when short enough, else its SHA-256 (hex, 64 characters) so it stays unique. */
async function idempotencyKey(key: string): Promise<string> {
  if (key.length <= MAX_IDEMPOTENCY_KEY) return key;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Removes the API key from a message, whatever a server or network error echoed. */
function scrub(text: string, apiKey: string): string {
  return apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
}
