import { describe, expect, it } from 'vitest';
import { offlineProvider } from '../../plugins/providers/offline/index.ts';
import { IsolateCache } from '../ports/isolate-cache.ts';
import { forgetProviderSettings, ProviderCache } from './provider-cache.ts';

type Resolved = Awaited<Parameters<ProviderCache['get']>[2] extends () => Promise<infer R> ? R : never>;

function fakeCache() {
  const clock = { at: 0, now: () => clock.at };
  const entries = new IsolateCache<Resolved>({ maxEntries: 10, ttlMs: ProviderCache.TTL_MS, clock });
  return { clock, cache: new ProviderCache(entries) };
}

describe('ProviderCache', () => {
  it('resolves once per team, provider and credential until the TTL passes', async () => {
    const { clock, cache } = fakeCache();
    let calls = 0;
    const resolve = async () => {
      calls++;
      return { provider: offlineProvider, settings: { delayMs: calls } };
    };
    const step = { providerId: 'offline', credentialId: 'cred_a' };
    expect((await cache.get('team_1', step, resolve)).settings).toEqual({ delayMs: 1 });
    clock.at = ProviderCache.TTL_MS - 1;
    expect((await cache.get('team_1', step, resolve)).settings).toEqual({ delayMs: 1 });
    expect((await cache.get('team_1', { ...step, credentialId: 'cred_b' }, resolve)).settings).toEqual({ delayMs: 2 });
    // Shared by the isolate's conversations, so keyed by team too.
    expect((await cache.get('team_2', step, resolve)).settings).toEqual({ delayMs: 3 });
    clock.at = ProviderCache.TTL_MS;
    expect((await cache.get('team_1', step, resolve)).settings).toEqual({ delayMs: 4 });
    expect(calls).toBe(4);
  });

  it('does not cache a failed resolution', async () => {
    const { cache } = fakeCache();
    const step = { providerId: 'openai', credentialId: null };
    await expect(cache.get('team_1', step, () => Promise.reject(new Error('missing')))).rejects.toThrow('missing');
    const ok = await cache.get('team_1', step, async () => ({ provider: offlineProvider, settings: { delayMs: 0 } }));
    expect(ok.settings).toEqual({ delayMs: 0 });
  });

  it('re-resolves in this isolate once the credential is saved', async () => {
    const cache = new ProviderCache();
    let calls = 0;
    const resolve = async () => ({ provider: offlineProvider, settings: { delayMs: ++calls } });
    const step = { providerId: 'offline', credentialId: 'cred_saved' };
    await cache.get('team_9', step, resolve);
    await cache.get('team_9', step, resolve);
    forgetProviderSettings('team_9', 'cred_saved');
    expect((await cache.get('team_9', step, resolve)).settings).toEqual({ delayMs: 2 });
  });
});
