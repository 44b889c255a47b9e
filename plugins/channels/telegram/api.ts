/**
 * Calling the Bot API: POST {apiBaseUrl}/bot{token}/{method}; every answer is `{ ok, result }` or
 * `{ ok: false, error_code, description, parameters? }` (https://core.telegram.org/bots/api#making-requests).
 * The token sits in the URL, so it never appears in returned errors: only Telegram's description does.
 */
import type { PluginContext, SendResult } from '../../sdk/index.ts';
import type { TelegramSettings } from './settings.ts';

export type TelegramContext = PluginContext<TelegramSettings>;
export type Failure = Extract<SendResult, { ok: false }>;
export type ApiAnswer = { ok: true; result: unknown } | { ok: false; failure: Failure };

export function apiBase(settings: TelegramSettings): string {
  return settings.apiBaseUrl.replace(/\/+$/, '');
}

export function methodUrl(settings: TelegramSettings, method: string): string {
  return `${apiBase(settings)}/bot${settings.botToken}/${method}`;
}

/** Parses "chatId" or "chatId:threadId" (see inbound.ts). */
export function target(conversationKey: string): { chat_id: number | string; message_thread_id?: number } {
  const [chat = conversationKey, thread] = conversationKey.split(':');
  const chatId = /^-?\d+$/.test(chat) ? Number(chat) : chat;
  return thread ? { chat_id: chatId, message_thread_id: Number(thread) } : { chat_id: chatId };
}

/** Maps a Bot API error to a SendResult failure. */
export function mapTelegramError(status: number, body: unknown): Failure {
  const error = (typeof body === 'object' && body !== null ? body : {}) as {
    error_code?: number;
    description?: string;
    parameters?: { retry_after?: number };
  };
  const code = error.error_code ?? status;
  const message = error.description ?? `HTTP ${status}`;
  // 429 "Too Many Requests: retry after N" with parameters.retry_after in seconds (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
  if (code === 429) {
    const retryAfterMs = (error.parameters?.retry_after ?? 1) * 1000;
    return { ok: false, retryable: true, code: 'rate_limited', message, retryAfterMs };
  }
  // 403 "Forbidden: bot was blocked by the user" / "user is deactivated" / "bot was kicked": never retry.
  if (code === 403) return { ok: false, retryable: false, code: 'blocked', message };
  if (code === 401 || code === 404) return { ok: false, retryable: false, code: 'unauthorized', message };
  if (status >= 500 || code >= 500) return { ok: false, retryable: true, code: `http_${status}`, message };
  return { ok: false, retryable: false, code: `telegram_${code}`, message };
}

async function answerOf(response: Response): Promise<ApiAnswer> {
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  const answer = json as { ok?: boolean; result?: unknown } | undefined;
  if (response.ok && answer?.ok === true) return { ok: true, result: answer.result };
  return { ok: false, failure: mapTelegramError(response.status, json) };
}

/** A method call with a JSON body. */
export async function callTelegram(
  ctx: TelegramContext,
  method: string,
  body: Record<string, unknown>,
): Promise<ApiAnswer> {
  const response = await ctx.fetch(methodUrl(ctx.settings, method), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: ctx.signal,
  });
  return answerOf(response);
}

/** A method call with a multipart body, for uploads (fetch sets the multipart content type and boundary). */
export async function uploadTelegram(ctx: TelegramContext, method: string, form: FormData): Promise<ApiAnswer> {
  const response = await ctx.fetch(methodUrl(ctx.settings, method), { method: 'POST', body: form, signal: ctx.signal });
  return answerOf(response);
}

export const messageIdOf = (result: unknown): string =>
  String((result as { message_id?: number } | undefined)?.message_id ?? '');
