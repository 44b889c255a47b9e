import { env } from 'cloudflare:test';
import { database } from '../worker/db/client.ts';
import { buildDemoSeed, type DemoSeed } from '../worker/seed/demo.ts';
import { seedInserts } from '../worker/seed/insert.ts';

/** Seeds a fresh demo team (the same rows `npm start` seeds) into the test D1 and returns its summary. */
export async function seedDemo(variables: Record<string, string> = {}): Promise<DemoSeed['summary']> {
  const seed = await buildDemoSeed({
    encryptionKey: env.ENCRYPTION_KEY,
    variables,
    // Storage is shared by the tests of a run, so every seeded team gets its own identity.
    ownerEmail: `owner-${crypto.randomUUID()}@parley.test`,
    teamSlug: `demo-${crypto.randomUUID()}`,
  });
  const db = database(env.DB);
  const [first, ...rest] = seedInserts(db, seed.rows);
  if (first) await db.batch([first, ...rest]);
  return seed.summary;
}

export const BASE = 'https://parley.test';

export function authed(apiKey: string, init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${apiKey}`);
  if (init.body) headers.set('content-type', 'application/json');
  return { ...init, headers };
}
