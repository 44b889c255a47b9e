import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../test/api-keys.ts';
import { authed, BASE, seedDemo } from '../../test/seed.ts';
import { addMember, signIn, withSession } from '../auth/testing.ts';
import { database } from '../db/client.ts';
import { apiKeys } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import worker from '../index.ts';
import { generateApiKey, hashApiKey } from '../security/api-keys.ts';
import { DEFAULT_RATE_LIMITS } from './rate-limit.ts';
import { durableObjectRateLimiter, type RateLimiterDO } from './rate-limiter-do.ts';

const remaining = (res: Response) => Number(/;r=(\d+)/.exec(res.headers.get('ratelimit') ?? '')?.[1]);

/** The Worker with some vars overridden for one request: tiny limits without touching the rest of the suite. */
async function fetchWith(vars: Partial<Env>, url: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(url, init), { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe('rate limits on /api/v1 and /v1', () => {
  it('sends RateLimit-Policy and a decreasing RateLimit on every response of an API key', async () => {
    const demo = await seedDemo();
    // This isolate has not verified the fresh key yet: its first request counts against the client IP.
    const unverified = await SELF.fetch(`${BASE}/api/v1/chatbots`, authed(demo.apiKey));
    expect(unverified.status).toBe(200);
    expect(unverified.headers.get('ratelimit-policy')).toBe(`"ip";q=${env.RATE_LIMIT_PER_IP};w=60`);
    const first = await SELF.fetch(`${BASE}/api/v1/chatbots`, authed(demo.apiKey));
    const second = await SELF.fetch(`${BASE}/api/v1/chatbots?limit=0`, authed(demo.apiKey)); // a 400 counts too
    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    const policy = `"api-key";q=${DEFAULT_RATE_LIMITS.perKey};w=${DEFAULT_RATE_LIMITS.windowSeconds}`;
    for (const res of [first, second]) {
      expect(res.headers.get('ratelimit-policy')).toBe(policy);
      expect(res.headers.get('ratelimit')).toMatch(/^"api-key";r=\d+;t=\d+$/);
    }
    expect(remaining(first)).toBe(DEFAULT_RATE_LIMITS.perKey - 1);
    expect(remaining(second)).toBe(remaining(first) - 1);
  });

  it('counts requests without a key per client IP, and leaves routes outside the API alone', async () => {
    const ip = { 'cf-connecting-ip': `192.0.2.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}` };
    const res = await SELF.fetch(`${BASE}/api/v1/chatbots`, { headers: ip });
    expect(res.status).toBe(401);
    // vitest.config.ts raises the per-IP quota: all test requests share one client address.
    const perIp = Number(env.RATE_LIMIT_PER_IP);
    expect(perIp).toBeGreaterThan(0);
    expect(res.headers.get('ratelimit-policy')).toBe(`"ip";q=${perIp};w=60`);
    expect(remaining(res)).toBe(perIp - 1);
    const health = await SELF.fetch(`${BASE}/health`);
    expect(health.headers.get('ratelimit')).toBeNull();
  });

  it('answers 429 with Retry-After and a rate_limited error once a key spends its quota', async () => {
    const demo = await seedDemo();
    const key = await createApiKey(demo.teamId, ['read']);
    const vars = { RATE_LIMIT_PER_KEY: '3' };
    // The first request verifies the key (counted per IP); from then on the key has its own bucket.
    expect((await fetchWith(vars, `${BASE}/api/v1/chatbots`, authed(key))).status).toBe(200);
    const statuses: number[] = [];
    const remainders: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetchWith(vars, `${BASE}/api/v1/chatbots`, authed(key));
      statuses.push(res.status);
      remainders.push(remaining(res));
    }
    expect(statuses).toEqual([200, 200, 200]);
    expect(remainders).toEqual([2, 1, 0]);
    const limited = await fetchWith(vars, `${BASE}/api/v1/chatbots`, authed(key));
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit')).toBe(`"api-key";r=0;t=${retryAfter}`);
    expect(limited.headers.get('ratelimit-policy')).toBe('"api-key";q=3;w=60');
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // Another key of the same team has its own quota.
    await fetchWith(vars, `${BASE}/api/v1/chatbots`, authed(demo.apiKey));
    const other = await fetchWith(vars, `${BASE}/api/v1/chatbots`, authed(demo.apiKey));
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit')).toMatch(/^"api-key";r=2;/);
  });

  it('limits unauthenticated callers per IP, on the OpenAI-compatible /v1 routes too', async () => {
    const headers = { 'cf-connecting-ip': `198.51.100.${crypto.randomUUID()}` };
    const vars = { RATE_LIMIT_PER_IP: '2' };
    const first = await fetchWith(vars, `${BASE}/v1/models`, { headers });
    const second = await fetchWith(vars, `${BASE}/api/v1/chatbots`, { headers });
    const third = await fetchWith(vars, `${BASE}/v1/models`, { headers });
    expect([first.status, second.status, third.status]).toEqual([401, 401, 429]);
    expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await third.json()).toMatchObject({ error: { code: 'rate_limited', type: 'rate_limit_error' } });
  });
});

describe('rate limits of bearer tokens that are not known keys', () => {
  const madeUpKey = async () => (await generateApiKey()).key;

  it('counts distinct made-up keys against the client IP: 401 within its quota, 429 past it', async () => {
    const ip = `made-up-${crypto.randomUUID()}`;
    const vars = { RATE_LIMIT_PER_IP: '3', RATE_LIMIT_PER_KEY: '100' };
    const tokens = [await madeUpKey(), 'not-a-key', await madeUpKey(), await madeUpKey(), 'prl_short'];
    const responses: Response[] = [];
    for (const token of tokens) {
      responses.push(
        await fetchWith(vars, `${BASE}/api/v1/chatbots`, {
          headers: { authorization: `Bearer ${token}`, 'cf-connecting-ip': ip },
        }),
      );
    }
    // Five keys would have had five fresh 100-request buckets; they share the IP's three.
    expect(responses.map((res) => res.status)).toEqual([401, 401, 401, 429, 429]);
    for (const res of responses) expect(res.headers.get('ratelimit-policy')).toBe('"ip";q=3;w=60');
    expect(responses.map(remaining)).toEqual([2, 1, 0, 0, 0]);
    expect(await responses[0]?.json()).toMatchObject({ error: { code: 'unauthorized' } });
    // The OpenAI-compatible routes share the same bucket, and answer in OpenAI's error shape.
    const openai = await fetchWith(vars, `${BASE}/v1/models`, {
      headers: { authorization: `Bearer ${await madeUpKey()}`, 'cf-connecting-ip': ip },
    });
    expect(openai.status).toBe(429);
    expect(await openai.json()).toMatchObject({ error: { code: 'rate_limited', type: 'rate_limit_error' } });
  });

  it('a real key behind that spent IP keeps its own quota once verified', async () => {
    const demo = await seedDemo();
    const ip = `shared-${crypto.randomUUID()}`;
    const vars = { RATE_LIMIT_PER_IP: '2', RATE_LIMIT_PER_KEY: '3' };
    const as = (token: string) => authed(token, { headers: { 'cf-connecting-ip': ip } });
    // Verified from another address first (a cold isolate's first request of a key counts per IP).
    const elsewhere = authed(demo.apiKey, { headers: { 'cf-connecting-ip': `other-${crypto.randomUUID()}` } });
    expect((await fetchWith(vars, `${BASE}/v1/models`, elsewhere)).status).toBe(200);
    for (let i = 0; i < 3; i++) await fetchWith(vars, `${BASE}/api/v1/chatbots`, as(await madeUpKey()));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetchWith(vars, `${BASE}/v1/models`, as(demo.apiKey))).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const made = await fetchWith(vars, `${BASE}/api/v1/chatbots`, as(await madeUpKey()));
    expect(made.headers.get('ratelimit-policy')).toBe('"ip";q=2;w=60');
  });

  it('counts a revoked key per IP again in the isolate that revoked it', async () => {
    const demo = await seedDemo();
    const key = await createApiKey(demo.teamId, ['read']);
    const row = await database(env.DB).query.apiKeys.findFirst({ where: eq(apiKeys.keyHash, await hashApiKey(key)) });
    await SELF.fetch(`${BASE}/api/v1/chatbots`, authed(key));
    const known = await SELF.fetch(`${BASE}/api/v1/chatbots`, authed(key));
    expect(known.headers.get('ratelimit-policy')).toMatch(/^"api-key";/);
    const revoked = await SELF.fetch(`${BASE}/api/v1/api-keys/${row?.id}`, authed(demo.apiKey, { method: 'DELETE' }));
    expect(revoked.status).toBe(204);
    const refused = await SELF.fetch(`${BASE}/api/v1/chatbots`, authed(key));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('ratelimit-policy')).toMatch(/^"ip";/);
  });
});

describe('rate limits of signed-in dashboard users', () => {
  it('counts each signed-in person in their own bucket, not their IP; a made-up cookie still counts per IP', async () => {
    const demo = await seedDemo();
    const ip = `203.0.113.${crypto.randomUUID()}`;
    const vars = { RATE_LIMIT_PER_IP: '2', RATE_LIMIT_PER_KEY: '3' };
    const [alice, bob] = [
      await signIn((await addMember(demo.teamId, 'viewer')).email),
      await signIn((await addMember(demo.teamId, 'viewer')).email),
    ];
    const as = (session: typeof alice) => {
      const init = withSession(session);
      const headers = new Headers(init.headers);
      headers.set('cf-connecting-ip', ip);
      return { ...init, headers };
    };
    // The anonymous budget of this IP is spent first: the dashboard users behind it must not feel it.
    for (let i = 0; i < 3; i++)
      await fetchWith(vars, `${BASE}/api/v1/chatbots`, { headers: { 'cf-connecting-ip': ip } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetchWith(vars, `${BASE}/api/v1/chatbots`, as(alice))).status);
    expect(statuses).toEqual([200, 200, 200]);
    const limited = await fetchWith(vars, `${BASE}/api/v1/chatbots`, as(alice));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-policy')).toBe('"user";q=3;w=60');
    // Another person on the same IP has their own budget.
    const other = await fetchWith(vars, `${BASE}/api/v1/chatbots`, as(bob));
    expect(other.status).toBe(200);
    expect(remaining(other)).toBe(2);
    const forged = await fetchWith(vars, `${BASE}/api/v1/chatbots`, {
      headers: { 'cf-connecting-ip': ip, cookie: 'parley_session=made-up' },
    });
    expect(forged.status).toBe(429);
    expect(forged.headers.get('ratelimit-policy')).toBe('"ip";q=2;w=60');
  });
});

describe('RateLimiterDO', () => {
  it('counts a fixed window and starts afresh in the next one', async () => {
    // Env names no class (worker/env.ts); this test addresses the class itself.
    const namespace = env.RATE_LIMITER as unknown as DurableObjectNamespace<RateLimiterDO>;
    const stub = namespace.get(namespace.newUniqueId());
    const policy = { limit: 2, windowSeconds: 60 };
    expect(await stub.hit(policy, 120_000)).toEqual({ allowed: true, remaining: 1, resetSeconds: 60 });
    expect(await stub.hit(policy, 150_000)).toEqual({ allowed: true, remaining: 0, resetSeconds: 30 });
    expect(await stub.hit(policy, 179_500)).toEqual({ allowed: false, remaining: 0, resetSeconds: 1 });
    expect(await stub.hit(policy, 180_000)).toEqual({ allowed: true, remaining: 1, resetSeconds: 60 });
  });

  it('costs one Durable Object round trip per request', { timeout: 30_000 }, async () => {
    const limiter = durableObjectRateLimiter(env.RATE_LIMITER);
    const policy = { name: 'bench', limit: 10_000, windowSeconds: 60 };
    const time = async (runs: number, bucket: (i: number) => string) => {
      const started = performance.now();
      for (let i = 0; i < runs; i++) await limiter.hit(bucket(i), policy);
      return (performance.now() - started) / runs;
    };
    const warm = await time(200, () => 'bench:warm');
    const fresh = await time(20, (i) => `bench:${i}:${crypto.randomUUID()}`);
    console.log(`rate limiter per request: ${warm.toFixed(2)} ms same key, ${fresh.toFixed(2)} ms first use of a key`);
    expect(warm).toBeLessThan(20);
  });
});
