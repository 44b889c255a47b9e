/** Test-only helpers: settings and contexts pointed at the fake Bot API (plugins/channels/telegram/fake/server.ts). */
import type { PluginContext } from '../../sdk/index.ts';
import { fakeSettings, recordingContext, type Sent } from '../../sdk/testing/channel.ts';
import type { TelegramSettings } from './settings.ts';
import { telegramSettings as schema } from './settings.ts';

export type { Sent };

/** The token plugins/channels/telegram/fake/server.ts accepts. */
export const FAKE_TOKEN = '123456:TEST-fake-bot-token';

export function telegramSettings(overrides: Record<string, unknown> = {}): TelegramSettings {
  const defaults = { botToken: FAKE_TOKEN, webhookSecret: 'fixture_Secret-Token_123', botUsername: 'ParleyBot' };
  return fakeSettings(schema, { name: 'telegram' }, defaults, overrides);
}

/** A context whose fetch reaches the fake over real HTTP and records each request. */
export function fakeContext(overrides: Record<string, unknown> = {}): {
  ctx: PluginContext<TelegramSettings>;
  sent: Sent[];
} {
  return recordingContext(telegramSettings(overrides));
}
