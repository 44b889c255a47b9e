import { env } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import type { Env } from '../env.ts';
import { MAX_REDIRECTS, OutboundRefused, outboundFetch } from './outbound-fetch.ts';

const echo = inject('fakeServers')['http-echo'] as string;
// Production: the guard on. Local (the test config sets ALLOW_PRIVATE_OUTBOUND=true): fakes on 127.0.0.1 answer.
const production = outboundFetch({ ...env, ALLOW_PRIVATE_OUTBOUND: undefined } as Env);
const local = outboundFetch(env);

describe('outboundFetch in production', () => {
  it.each([
    'http://127.0.0.1:9/',
    'http://2130706433/',
    'http://[::1]/',
    'http://[::ffff:169.254.169.254]/latest',
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://localhost:8787/api',
    'http://10.0.0.5/',
  ])('refuses %s before any request leaves', async (url) => {
    const error = await production(url).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OutboundRefused);
    expect((error as OutboundRefused).retryable).toBe(false);
    expect((error as Error).message).toMatch(/refused to fetch/);
  });

  it('refuses schemes other than http and https', async () => {
    await expect(production('file:///etc/passwd')).rejects.toThrow(/only http and https/);
  });

  it('keeps a secret query string out of its error message', async () => {
    await expect(production('http://127.0.0.1/x?api_key=sk-secret')).rejects.toThrow(/^(?!.*sk-secret)/);
  });
});

describe('outboundFetch when local', () => {
  it('reaches a loopback server', async () => {
    const response = await local(`${echo}/echo?x=1`, { method: 'POST', body: 'hi' });
    expect(await response.json()).toMatchObject({ method: 'POST', query: { x: '1' }, body: 'hi' });
  });

  it('follows redirects by hand, turning a 302 after POST into a GET', async () => {
    const response = await local(`${echo}/redirect/3`, { method: 'POST', body: 'dropped' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ method: 'GET', path: '/echo', body: '' });
  });

  it('keeps method and body across a 307', async () => {
    const response = await local(`${echo}/redirect/1?code=307`, { method: 'PUT', body: 'kept' });
    expect(await response.json()).toMatchObject({ method: 'PUT', body: 'kept' });
  });

  it(`gives up after ${MAX_REDIRECTS} redirects`, async () => {
    await expect(local(`${echo}/redirect/${MAX_REDIRECTS + 1}`)).rejects.toThrow(/more than 5 times/);
    expect((await local(`${echo}/redirect/${MAX_REDIRECTS - 1}`)).status).toBe(200);
  });

  it('drops Authorization when a redirect leaves the origin', async () => {
    const other = echo.replace('127.0.0.1', 'localhost');
    const response = await local(`${echo}/redirect/0?to=${encodeURIComponent(`${other}/echo`)}`, {
      headers: { authorization: 'Bearer secret', 'x-kept': 'yes' },
    });
    const body = (await response.json()) as { headers: Record<string, string> };
    expect(body.headers.authorization).toBeUndefined();
    expect(body.headers['x-kept']).toBe('yes');
  });

  it('returns the redirect itself when asked for manual redirects', async () => {
    const response = await local(`${echo}/redirect/1`, { redirect: 'manual' });
    expect(response.status).toBe(302);
  });
});

describe('outboundFetch re-checks every hop in production', () => {
  it('refuses a redirect to a private address even when the first URL is allowed', async () => {
    // The first hop is the (loopback) fake, so only the hop check itself is under test: allow loopback for hop one.
    let hops = 0;
    const guarded = outboundFetch({ ...env, ALLOW_PRIVATE_OUTBOUND: undefined } as Env);
    const original = globalThis.fetch;
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      hops++;
      return original(new Request(input, init).url.replace('https://public.example', echo), init);
    }) as typeof fetch;
    try {
      const url = `https://public.example/redirect/0?to=${encodeURIComponent('http://169.254.169.254/latest')}`;
      await expect(guarded(url)).rejects.toThrow(/169\.254\.169\.254 is a link-local address/);
      expect(hops).toBe(1);
    } finally {
      globalThis.fetch = original;
    }
  });
});
