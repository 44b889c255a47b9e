import { eq } from 'drizzle-orm';
import { channels as channelPlugins } from '../../plugins/registry.ts';
import type { ChannelPlugin } from '../../plugins/sdk/index.ts';
import { database } from '../db/client.ts';
import { channels } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { IsolateCache } from '../ports/isolate-cache.ts';
import { type ChannelOptions, channelOptions } from './options.ts';
import { openChannelSettings, selectChannels } from './rows.ts';

/** A channel ready to use: its plugin, and its settings with the secrets decrypted (memory only, never stored). */
export interface ChannelRuntime {
  id: string;
  teamId: string;
  chatbotId: string;
  pluginId: string;
  enabled: boolean;
  options: ChannelOptions;
  plugin: ChannelPlugin;
  /** Public and secret settings merged and parsed by the plugin's schema (defaults applied). */
  settings: Record<string, unknown>;
}

/**
 * Webhooks are the hot path (ack budget p99 ≤ 20 ms, bench/README.md), so a loaded channel is kept in the isolate
 * for a few seconds. Changes made through the API evict it here at once; other isolates see them within TTL_MS.
 */
const TTL_MS = 10_000;
/**
 * Bounded: a webhook URL names its channel id, so made-up ids (cached as null, or the tenth thousand real channel)
 * must not grow the isolate's memory (128 MB per isolate: developers.cloudflare.com/workers/platform/limits/).
 * Expiry is checked against the caller's clock (delivery passes its own), so the LRU itself never expires entries.
 */
const CHANNEL_CACHE_ENTRIES = 1_000;
const cache = new IsolateCache<{ value: ChannelRuntime | null; expiresAt: number }>({
  maxEntries: CHANNEL_CACHE_ENTRIES,
  ttlMs: Number.POSITIVE_INFINITY,
});

/** Channels held in this isolate (tests and diagnostics). */
export const cachedChannelCount = (): number => cache.size;

export function forgetChannel(channelId: string): void {
  cache.delete(channelId);
}

/** The channel by id, or null when it does not exist or its plugin is not installed. */
export async function loadChannel(env: Env, channelId: string, now = Date.now()): Promise<ChannelRuntime | null> {
  const cached = cache.get(channelId);
  if (cached && cached.expiresAt > now) return cached.value;
  // A channel updated (forgetChannel) while this read was in flight: the read may be stale, so it is not kept.
  const epoch = cache.evictionEpoch;
  const value = await readChannel(env, channelId);
  cache.set(channelId, { value, expiresAt: now + TTL_MS }, { unlessEvictedSince: epoch });
  return value;
}

async function readChannel(env: Env, channelId: string): Promise<ChannelRuntime | null> {
  const [row] = await selectChannels(database(env.DB)).where(eq(channels.id, channelId));
  const plugin = row && channelPlugins.get(row.pluginId);
  if (!row || !plugin) return null;
  const settings = await openChannelSettings(env, row);
  return {
    id: row.id,
    teamId: row.teamId,
    chatbotId: row.chatbotId,
    pluginId: row.pluginId,
    enabled: row.enabled,
    options: channelOptions.parse(row.options),
    plugin,
    settings: plugin.settings.parse(settings) as Record<string, unknown>,
  };
}
