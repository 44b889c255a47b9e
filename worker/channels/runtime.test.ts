import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { channels } from '../db/schema/index.ts';
import { cachedChannelCount, forgetChannel, loadChannel } from './runtime.ts';
import { postChannel, telegramChannel } from './testing.ts';

describe('the channel cache of an isolate', () => {
  it('stays bounded when webhooks name made-up channel ids', async () => {
    // More ids than the cache holds (1,000): each is looked up once and cached as "no such channel".
    for (let i = 0; i < 1_050; i++) expect(await loadChannel(env, `chan_madeup_${i}`)).toBeNull();
    expect(cachedChannelCount()).toBeLessThanOrEqual(1_000);
    expect(cachedChannelCount()).toBeGreaterThan(900);
  });

  it('serves a loaded channel from memory until forgotten or expired, then reads D1 again', async () => {
    const demo = await seedDemo();
    const { json: channel } = await postChannel(demo.apiKey, telegramChannel(demo.chatbotId).body);
    forgetChannel(channel.id);
    const now = Date.now();
    expect((await loadChannel(env, channel.id, now))?.id).toBe(channel.id);
    // Deleted behind the cache's back: this isolate keeps the copy for its TTL (10 s)…
    await database(env.DB).delete(channels).where(eq(channels.id, channel.id));
    expect((await loadChannel(env, channel.id, now + 9_000))?.id).toBe(channel.id);
    // …and reads again once it expired, or at once when the API's own write evicts it.
    expect(await loadChannel(env, channel.id, now + 10_001)).toBeNull();
    forgetChannel(channel.id);
    expect(await loadChannel(env, channel.id)).toBeNull();
  });

  it('does not keep a read that raced an eviction', async () => {
    const demo = await seedDemo();
    const { json: channel } = await postChannel(demo.apiKey, telegramChannel(demo.chatbotId).body);
    forgetChannel(channel.id);
    const inFlight = loadChannel(env, channel.id);
    // The channel changes (the API evicts it) while the first read is still running.
    forgetChannel(channel.id);
    expect((await inFlight)?.id).toBe(channel.id);
    await database(env.DB).delete(channels).where(eq(channels.id, channel.id));
    expect(await loadChannel(env, channel.id)).toBeNull();
  });
});
