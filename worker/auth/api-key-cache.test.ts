import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiKey } from '../../test/api-keys.ts';
import { authed, BASE, seedDemo } from '../../test/seed.ts';
import worker from '../../test/worker.ts';
import { database } from '../db/client.ts';
import { apiKeys } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { IsolateCache } from '../ports/isolate-cache.ts';
import { METER_PREFIX, type MeterLine } from '../ports/meter-line.ts';
import { meteredEnv } from '../ports/metered-env.ts';
import { generateApiKey, hashApiKey } from '../security/api-keys.ts';
import {
  API_KEY_CACHE_TTL_MS,
  apiKeyCache,
  forgetTeamApiKeys,
  recentlyVerifiedApiKeys,
  unknownApiKeys,
  type VerifiedApiKey,
} from './api-key-cache.ts';
import { LAST_USED_RESOLUTION_MS, verifyApiKey } from './api-key-verify.ts';

/** Counts the control-plane statements of whatever `run` does, with the bench's meter (worker/ports/metered-env.ts). */
async function countDb<T>(run: () => Promise<T>): Promise<{ result: T; reads: number; writes: number }> {
  const lines: MeterLine[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
    if (typeof line === 'string' && line.startsWith(METER_PREFIX))
      lines.push(JSON.parse(line.slice(METER_PREFIX.length)) as MeterLine);
  });
  try {
    const result = await run();
    const db = lines.filter((line) => line.kind === 'd1' && line.binding === 'DB');
    const writes = db.reduce((sum, line) => sum + (line.writes ?? 0), 0);
    return { result, reads: db.reduce((sum, line) => sum + line.count, 0) - writes, writes };
  } finally {
    log.mockRestore();
  }
}

/** One request through the Worker's own fetch, metered, with its waitUntil work (the last_used_at write) awaited. */
async function request(key: string, path: string, init: RequestInit = {}, vars: Partial<Env> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const metered = { ...env, ...vars, PARLEY_METER: '1' };
  const res = await worker.fetch(new Request(`${BASE}${path}`, authed(key, init)), metered, ctx);
  await res.arrayBuffer().catch(() => undefined);
  await waitOnExecutionContext(ctx);
  return res;
}

// A route that reads nothing from D1 itself, so every DB statement counted is the key's.
const NO_D1_ROUTE = '/api/v1/plugins/kinds';

afterEach(() => {
  apiKeyCache.clear();
  unknownApiKeys.clear();
  recentlyVerifiedApiKeys.clear();
});

describe('API key cache (per isolate)', () => {
  it('reads a key from D1 once, then answers from memory; a revocation is refused at once', async () => {
    const demo = await seedDemo();
    const key = await createApiKey(demo.teamId, ['read']);

    const first = await countDb(() => request(key, NO_D1_ROUTE));
    expect(first.result.status).toBe(200);
    // The lookup, and the first use recorded (last_used_at was null).
    expect(first).toMatchObject({ reads: 1, writes: 1 });

    const second = await countDb(() => request(key, NO_D1_ROUTE));
    expect(second.result.status).toBe(200);
    expect(second).toMatchObject({ reads: 0, writes: 0 });

    const row = await database(env.DB).query.apiKeys.findFirst({ where: eq(apiKeys.keyHash, await hashApiKey(key)) });
    if (!row) throw new Error('key row missing');
    const revoked = await request(demo.apiKey, `/api/v1/api-keys/${row.id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(204);
    // Same isolate, within the TTL: the revoking request evicted the key, so D1 is asked and says no.
    const refused = await countDb(() => request(key, NO_D1_ROUTE));
    expect(refused.result.status).toBe(401);
    expect(refused.reads).toBe(1);
  });

  it('holds keys by hash only, and unknown keys apart from real ones', async () => {
    const demo = await seedDemo();
    const key = await createApiKey(demo.teamId, ['read']);
    expect((await request(key, NO_D1_ROUTE)).status).toBe(200);
    const hash = await hashApiKey(key);
    expect(apiKeyCache.keys()).toEqual([hash]);
    const held = JSON.stringify({ keys: apiKeyCache.keys(), value: apiKeyCache.get(hash) });
    expect(held).not.toContain(key);
    expect(held).not.toContain(key.slice(12));

    // Made-up keys cost a D1 read each and leave the key cache as it was: they cannot push real keys out.
    const madeUp: string[] = [];
    for (let i = 0; i < 3; i++) {
      const unknown = (await generateApiKey()).key;
      madeUp.push(await hashApiKey(unknown));
      const attempt = await countDb(() => request(unknown, NO_D1_ROUTE));
      expect(attempt.result.status).toBe(401);
      expect(attempt.reads).toBe(1);
    }
    expect(apiKeyCache.keys()).toEqual([hash]);
    expect(unknownApiKeys.keys()).toEqual(madeUp);
  });

  it('lets one IP cause at most its rate-limit quota of D1 reads with made-up keys', async () => {
    const init = { headers: { 'cf-connecting-ip': `flood-${crypto.randomUUID()}` } };
    const vars = { RATE_LIMIT_PER_IP: '3' };
    const flood = await countDb(async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push((await request((await generateApiKey()).key, NO_D1_ROUTE, init, vars)).status);
      return statuses;
    });
    expect(flood.result).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    // Eight fresh keys used to mean eight fresh buckets and eight reads.
    expect(flood.reads).toBe(3);
  });

  it('refuses a token not shaped like a key without reading D1', async () => {
    const { key } = await generateApiKey();
    const malformed = ['prl_', `${key}x`, key.slice(0, -1), `prl_${'!'.repeat(43)}`, `sk_${key.slice(4)}`, 'v1.abc'];
    for (const token of malformed) {
      const attempt = await countDb(() => request(token, NO_D1_ROUTE));
      expect(attempt.result.status).toBe(401);
      expect(attempt.reads).toBe(0);
    }
    expect(unknownApiKeys.size).toBe(0);
  });

  it('answers a repeated unknown key from the negative cache, one D1 read in all', async () => {
    const { key } = await generateApiKey();
    const reads: number[] = [];
    for (let i = 0; i < 4; i++) {
      const attempt = await countDb(() => request(key, NO_D1_ROUTE));
      expect(attempt.result.status).toBe(401);
      reads.push(attempt.reads);
    }
    expect(reads).toEqual([1, 0, 0, 0]);
    expect(unknownApiKeys.keys()).toEqual([await hashApiKey(key)]);
  });

  it('evicts every key of a team and no other', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const mine = await createApiKey(demo.teamId, ['read']);
    const theirs = await createApiKey(other.teamId, ['read']);
    for (const key of [demo.apiKey, mine, theirs]) expect((await request(key, NO_D1_ROUTE)).status).toBe(200);
    expect(forgetTeamApiKeys(demo.teamId)).toBe(2);
    expect(apiKeyCache.keys()).toEqual([await hashApiKey(theirs)]);
  });
});

describe('verifyApiKey', () => {
  it('re-reads D1 once the TTL has passed, and records a use at most once per resolution', async () => {
    const demo = await seedDemo();
    const key = await createApiKey(demo.teamId, ['chat']);
    let now = Date.now();
    const clock = { now: () => now };
    const cache = new IsolateCache<VerifiedApiKey>({ maxEntries: 10, ttlMs: API_KEY_CACHE_TTL_MS, clock });
    const pending: Promise<unknown>[] = [];
    const deps = {
      db: meteredEnv({ ...env, PARLEY_METER: '1' }, 'test').DB,
      cache,
      unknown: new IsolateCache<true>({ maxEntries: 10, ttlMs: 30_000, clock }),
      recent: new IsolateCache<string>({ maxEntries: 10, ttlMs: 600_000, clock }),
      clock,
      waitUntil: (promise: Promise<unknown>) => pending.push(promise),
    };
    const verify = () =>
      countDb(async () => {
        const verified = await verifyApiKey(deps, key);
        await Promise.all(pending.splice(0));
        return verified;
      });

    const first = await verify();
    expect(first.result).toMatchObject({ teamId: demo.teamId, scopes: ['chat'], lastUsedAt: now });
    expect(first).toMatchObject({ reads: 1, writes: 1 });

    now += API_KEY_CACHE_TTL_MS - 1;
    expect(await verify()).toMatchObject({ reads: 0, writes: 0 });

    // The TTL counts from when the key was read, however often it was used since.
    now += 1;
    expect(await verify()).toMatchObject({ reads: 1, writes: 0 });
    // Cached, and its last use over LAST_USED_RESOLUTION_MS ago: recorded again, once.
    now += LAST_USED_RESOLUTION_MS - API_KEY_CACHE_TTL_MS + 1;
    expect(await verify()).toMatchObject({ reads: 0, writes: 1 });
    expect(await verify()).toMatchObject({ reads: 0, writes: 0 });
    const row = await database(env.DB).query.apiKeys.findFirst({ where: eq(apiKeys.keyHash, await hashApiKey(key)) });
    expect(row?.lastUsedAt).toBe(now);

    // Revoked in D1 behind this isolate's back (another isolate's DELETE): refused once the entry expires.
    await database(env.DB)
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(eq(apiKeys.keyHash, await hashApiKey(key)));
    expect((await verify()).result).not.toBeNull();
    now += API_KEY_CACHE_TTL_MS;
    expect(deps.recent.get(await hashApiKey(key))).toBe(demo.teamId);
    expect(await verify()).toMatchObject({ result: null, reads: 1 });
    expect(cache.size).toBe(0);
    // No longer counted per key by the rate limiter, and refused again without D1 while the negative entry lasts.
    expect(deps.recent.size).toBe(0);
    expect(await verify()).toMatchObject({ result: null, reads: 0 });
  });
});
