/** Test-only helpers: settings and contexts pointed at the fake Bot API (test/fakes/telegram.server.ts). */
import { inject } from 'vitest';
import { fakeClock } from '../../contracts/fakes.ts';
import type { PluginContext } from '../../sdk/index.ts';
import type { TelegramSettings } from './settings.ts';
import { telegramSettings as schema } from './settings.ts';

/** The token test/fakes/telegram.server.ts accepts. */
export const FAKE_TOKEN = '123456:TEST-fake-bot-token';

export function telegramSettings(overrides: Record<string, unknown> = {}): TelegramSettings {
  const apiBaseUrl = inject('fakeServers').telegram;
  if (!apiBaseUrl) throw new Error('The fake Telegram server is not running: is test/fakes/telegram.server.ts loaded?');
  return schema.parse({
    botToken: FAKE_TOKEN,
    webhookSecret: 'fixture_Secret-Token_123',
    botUsername: 'ParleyBot',
    apiBaseUrl,
    ...overrides,
  });
}

export interface Sent {
  url: string;
  body: Record<string, unknown>;
}

/** A context whose fetch reaches the fake over real HTTP and records each request. */
export function fakeContext(overrides: Record<string, unknown> = {}): {
  ctx: PluginContext<TelegramSettings>;
  sent: Sent[];
} {
  const sent: Sent[] = [];
  const recording: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    sent.push({ url, body: typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {} });
    return fetch(input, init);
  };
  const ctx = {
    settings: telegramSettings(overrides),
    fetch: recording,
    clock: fakeClock(),
    signal: new AbortController().signal,
  };
  return { ctx, sent };
}
