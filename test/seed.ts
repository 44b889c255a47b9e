import { env, SELF } from 'cloudflare:test';
import type { ChatbotDefinition } from '../worker/chatbots/definition.ts';
import { database } from '../worker/db/client.ts';
import { chatbots, chatbotVersions, pluginConfigs } from '../worker/db/schema/index.ts';
import { shardRouter } from '../worker/db/shards.ts';
import { newId } from '../worker/ids.ts';
import { SecretBox, secretContext } from '../worker/security/secrets.ts';
import { buildDemoSeed, type DemoSeed } from '../worker/seed/demo.ts';
import { seedInserts } from '../worker/seed/insert.ts';

/** Seeds a fresh demo team (the same rows `npm start` seeds) into the test D1 and returns its summary. */
export async function seedDemo(variables: Record<string, string> = {}): Promise<DemoSeed['summary']> {
  const build = () =>
    buildDemoSeed({
      encryptionKey: env.ENCRYPTION_KEY,
      variables,
      // Storage is shared by the tests of a run, so every seeded team gets its own identity.
      ownerEmail: `owner-${crypto.randomUUID()}@parley.test`,
      teamSlug: `demo-${crypto.randomUUID()}`,
    });
  let seed = await build();
  // With shards bound (the `sharded` project), consecutive teams land on different shards, so every test that seeds
  // two teams (the auth sweep's other team, the lists' isolation checks) has them in different databases. Team ids
  // are random: each try lands on the other shard with probability 1/2.
  const router = shardRouter(env);
  if (router.all().length > 1)
    for (let tries = 0; tries < 20 && router.shardName(seed.summary.teamId) === lastShard; tries++)
      seed = await build();
  lastShard = router.shardName(seed.summary.teamId);
  const db = database(env.DB);
  const [first, ...rest] = seedInserts(db, seed.rows);
  if (first) await db.batch([first, ...rest]);
  return seed.summary;
}

/** The shard of the last team seedDemo seeded in this file. */
let lastShard: string | undefined;

export const BASE = 'https://parley.test';

export function authed(apiKey: string, init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${apiKey}`);
  if (init.body) headers.set('content-type', 'application/json');
  return { ...init, headers };
}

/** Adds a published chatbot with `definition` to a seeded team, optionally with a provider credential. */
export async function addChatbot(
  teamId: string,
  definition: ChatbotDefinition,
  credential?: { id: string; providerId: string; settings: Record<string, unknown>; secrets: Record<string, unknown> },
): Promise<string> {
  const db = database(env.DB);
  const now = Date.now();
  const chatbotId = newId('bot', now);
  const versionId = newId('ver', now);
  if (credential) {
    const box = await SecretBox.fromBase64Url(env.ENCRYPTION_KEY);
    const secrets = await box.sealJson(credential.secrets, secretContext(teamId, 'provider', credential.id));
    await db.insert(pluginConfigs).values({
      id: credential.id,
      teamId,
      kind: 'provider',
      pluginId: credential.providerId,
      name: credential.id,
      uniqueKey: credential.id,
      settings: credential.settings,
      secrets,
      createdAt: now,
      updatedAt: now,
    });
  }
  await db.batch([
    db.insert(chatbots).values({
      id: chatbotId,
      teamId,
      slug: `test-${chatbotId.slice(-12)}`,
      name: 'Test bot',
      publishedVersionId: versionId,
      createdAt: now,
      updatedAt: now,
    }),
    db.insert(chatbotVersions).values([
      { id: newId('ver', now), teamId, chatbotId, number: 0, status: 'draft', definition, createdAt: now },
      { id: versionId, teamId, chatbotId, number: 1, status: 'published', definition, createdAt: now },
    ]),
  ]);
  return chatbotId;
}

export async function startConversation(apiKey: string, chatbotId: string): Promise<string> {
  const res = await SELF.fetch(
    `${BASE}/api/v1/conversations`,
    authed(apiKey, { method: 'POST', body: JSON.stringify({ chatbotId }) }),
  );
  if (res.status !== 201) throw new Error(`start conversation: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Reads an SSE response until `enough` says so, then drops the connection like a client that goes away. */
export async function readUntil(res: Response, enough: (text: string) => boolean): Promise<string> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!enough(text)) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  await reader.cancel();
  return text;
}
