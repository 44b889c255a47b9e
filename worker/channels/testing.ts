/** Test helpers for the channel routes (worker/channels/routes.test.ts, update.test.ts). */
import { env } from 'cloudflare:test';
import type { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { inject } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import { database } from '../db/client.ts';
import { channels } from '../db/schema/index.ts';
import type { ChannelWithSetupSchema } from './api-schemas.ts';
import { selectChannels } from './rows.ts';

/** The only bot token plugins/channels/telegram/fake/server.ts accepts. */
export const FAKE_TELEGRAM_TOKEN = '123456:TEST-fake-bot-token';

/** A channel as the API answers it (create answers the setup outcome too). */
export type ChannelBody = z.infer<typeof ChannelWithSetupSchema>;

/**
 * A create body for a Telegram channel on the fake Bot API. The webhook secret is unique per call, so a test can
 * search responses, D1 and the fake's request log for exactly its own secret.
 */
export function telegramChannel(chatbotId: string, overrides: Record<string, unknown> = {}) {
  const webhookSecret = `whs_${crypto.randomUUID().replaceAll('-', '')}`;
  const body = {
    chatbotId,
    pluginId: 'telegram',
    name: 'Support on Telegram',
    settings: {
      botToken: FAKE_TELEGRAM_TOKEN,
      webhookSecret,
      botUsername: 'ParleyBot',
      apiBaseUrl: inject('fakeServers').telegram,
    },
    ...overrides,
  };
  return { body, webhookSecret };
}

/** POSTs a channel and returns the response with its parsed body. */
export async function postChannel(key: string, body: unknown) {
  const res = await api.send(key, 'POST', '/api/v1/channels', body);
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as ChannelBody };
}

/** The stored rows (binding and configuration), read straight from D1. */
export async function channelRow(id: string) {
  const [row] = await selectChannels(database(env.DB)).where(eq(channels.id, id));
  if (!row) throw new Error(`no channel row ${id}`);
  return row;
}
