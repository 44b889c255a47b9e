/**
 * Telegram signs nothing: setWebhook's secret_token is echoed verbatim in the X-Telegram-Bot-Api-Secret-Token
 * header of every webhook request (https://core.telegram.org/bots/api#setwebhook). It does not cover the body, so
 * the route must also only accept this header over HTTPS (Telegram only delivers to HTTPS webhooks anyway).
 */

import { constantTimeEqual } from '../../sdk/crypto.ts';
import type { InboundRequest, VerifyResult } from '../../sdk/index.ts';
import type { TelegramSettings } from './settings.ts';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export async function verifyTelegram(settings: TelegramSettings, request: InboundRequest): Promise<VerifyResult> {
  if (request.method !== 'POST') return { ok: false, status: 403, reason: 'Telegram webhooks are POST requests' };
  const token = request.headers.get(SECRET_HEADER);
  if (!token) return { ok: false, status: 401, reason: `Missing ${SECRET_HEADER} header` };
  if (!constantTimeEqual(token, settings.webhookSecret)) {
    return { ok: false, status: 403, reason: `Wrong ${SECRET_HEADER} header` };
  }
  return { ok: true };
}
