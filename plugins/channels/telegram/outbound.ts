/**
 * Sending through the Bot API: POST {apiBaseUrl}/bot{token}/{method} with a JSON body; every answer is
 * `{ ok, result }` or `{ ok: false, error_code, description, parameters? }` (https://core.telegram.org/bots/api#making-requests).
 * The token sits in the URL, so it never appears in returned errors: only Telegram's description does.
 */
import type { PluginContext, SendResult } from '../../sdk/index.ts';
import { splitFormatted } from '../shared/split.ts';
import { toTelegramHtml } from './format.ts';
import type { TelegramSettings } from './settings.ts';

/** sendMessage: "Text of the message to be sent, 1-4096 characters after entities parsing". */
export const TELEGRAM_MAX_MESSAGE_LENGTH = 4096;

type Ctx = PluginContext<TelegramSettings>;
type Failure = Extract<SendResult, { ok: false }>;
type ApiAnswer = { ok: true; result: unknown } | { ok: false; failure: Failure };

export function methodUrl(settings: TelegramSettings, method: string): string {
  return `${settings.apiBaseUrl.replace(/\/+$/, '')}/bot${settings.botToken}/${method}`;
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

export async function callTelegram(ctx: Ctx, method: string, body: Record<string, unknown>): Promise<ApiAnswer> {
  const response = await ctx.fetch(methodUrl(ctx.settings, method), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: ctx.signal,
  });
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

const messageIdOf = (result: unknown): string =>
  String((result as { message_id?: number } | undefined)?.message_id ?? '');

/** sendMessage in HTML parse mode, split at 4096 characters; ids come back as "chatId:messageId" like inbound ones. */
export async function sendTelegram(ctx: Ctx, conversationKey: string, markdown: string): Promise<SendResult> {
  const destination = target(conversationKey);
  const platformMessageIds: string[] = [];
  for (const text of splitFormatted(markdown, TELEGRAM_MAX_MESSAGE_LENGTH, toTelegramHtml)) {
    const answer = await callTelegram(ctx, 'sendMessage', { ...destination, text, parse_mode: 'HTML' });
    if (!answer.ok) return answer.failure;
    platformMessageIds.push(`${destination.chat_id}:${messageIdOf(answer.result)}`);
  }
  return { ok: true, platformMessageIds };
}

/** sendChatAction "typing": shown for 5 seconds or until the next message (https://core.telegram.org/bots/api#sendchataction). */
export async function sendTyping(ctx: Ctx, conversationKey: string): Promise<SendResult> {
  const answer = await callTelegram(ctx, 'sendChatAction', { ...target(conversationKey), action: 'typing' });
  return answer.ok ? { ok: true, platformMessageIds: [] } : answer.failure;
}

/**
 * editMessageText for streaming: replaces a sent message's text. The partial text is cut to the limit (the final
 * text goes through sendTelegram's splitting). "message is not modified" (400) counts as success.
 */
export async function editTelegram(ctx: Ctx, platformMessageId: string, markdown: string): Promise<SendResult> {
  const [chat = '', messageId = ''] = platformMessageId.split(':');
  const [text = ''] = splitFormatted(markdown, TELEGRAM_MAX_MESSAGE_LENGTH, toTelegramHtml);
  const body = { ...target(chat), message_id: Number(messageId), text, parse_mode: 'HTML' };
  const answer = await callTelegram(ctx, 'editMessageText', body);
  if (answer.ok || /message is not modified/.test(answer.failure.message)) {
    return { ok: true, platformMessageIds: [platformMessageId] };
  }
  return answer.failure;
}

/** The setWebhook call an admin (or the dashboard) makes once; see README.md. */
export function setWebhookRequest(settings: TelegramSettings, webhookUrl: string): Request {
  const body = {
    url: webhookUrl,
    secret_token: settings.webhookSecret,
    allowed_updates: ['message', 'edited_message', 'callback_query', 'message_reaction'],
    drop_pending_updates: true,
  };
  return new Request(methodUrl(settings, 'setWebhook'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
