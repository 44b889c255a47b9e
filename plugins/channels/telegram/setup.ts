import type { ChannelSetupInput, SetupResult } from '../../sdk/index.ts';
import { callTelegram, type TelegramContext } from './api.ts';

/** The update types inbound.ts understands; Telegram sends only these (message_reaction must be asked for). */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'message_reaction'] as const;

/** The setWebhook parameters (https://core.telegram.org/bots/api#setwebhook). */
export function setWebhookBody(ctx: TelegramContext, webhookUrl: string): Record<string, unknown> {
  return {
    url: webhookUrl,
    // Echoed in X-Telegram-Bot-Api-Secret-Token on every delivery: what verify.ts checks.
    secret_token: ctx.settings.webhookSecret,
    allowed_updates: ALLOWED_UPDATES,
    // Keep messages sent while the webhook was being (re)configured; duplicates are dropped by message id.
    drop_pending_updates: false,
  };
}

/** Registers the channel's webhook with Telegram; the message is Telegram's description, never the token. */
export async function setupTelegram(ctx: TelegramContext, input: ChannelSetupInput): Promise<SetupResult> {
  const answer = await callTelegram(ctx, 'setWebhook', setWebhookBody(ctx, input.webhookUrl));
  if (!answer.ok) return { ok: false, message: `Telegram refused the webhook: ${answer.failure.message}` };
  return { ok: true, message: `Telegram will deliver updates to ${input.webhookUrl}` };
}
