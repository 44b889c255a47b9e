import { describe, expect, it } from 'vitest';
import { offlineProvider } from '../../plugins/providers/offline/index.ts';
import { ProviderCache } from './provider-cache.ts';

describe('ProviderCache', () => {
  it('resolves once per provider and credential until the TTL passes', async () => {
    const cache = new ProviderCache();
    let calls = 0;
    const resolve = async () => {
      calls++;
      return { provider: offlineProvider, settings: { delayMs: calls } };
    };
    const step = { providerId: 'offline', credentialId: 'cred_a' };
    expect((await cache.get(step, 0, resolve)).settings).toEqual({ delayMs: 1 });
    expect((await cache.get(step, ProviderCache.TTL_MS - 1, resolve)).settings).toEqual({ delayMs: 1 });
    expect((await cache.get({ ...step, credentialId: 'cred_b' }, 0, resolve)).settings).toEqual({ delayMs: 2 });
    expect((await cache.get(step, ProviderCache.TTL_MS, resolve)).settings).toEqual({ delayMs: 3 });
    expect(calls).toBe(3);
  });

  it('does not cache a failed resolution', async () => {
    const cache = new ProviderCache();
    const step = { providerId: 'openai', credentialId: null };
    await expect(cache.get(step, 0, () => Promise.reject(new Error('missing')))).rejects.toThrow('missing');
    const ok = await cache.get(step, 1, async () => ({ provider: offlineProvider, settings: { delayMs: 0 } }));
    expect(ok.settings).toEqual({ delayMs: 0 });
  });
});
