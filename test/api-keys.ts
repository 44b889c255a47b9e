import { env } from 'cloudflare:test';
import { database } from '../worker/db/client.ts';
import { type ApiKeyScope, apiKeys } from '../worker/db/schema/index.ts';
import { generateApiKey } from '../worker/security/api-keys.ts';

/** Inserts an API key with exactly `scopes` for `teamId` and returns the key (as a client would hold it). */
export async function createApiKey(teamId: string, scopes: ApiKeyScope[]): Promise<string> {
  const generated = await generateApiKey();
  await database(env.DB)
    .insert(apiKeys)
    .values({
      id: `key_${crypto.randomUUID()}`,
      teamId,
      name: scopes.join('+') || 'none',
      prefix: generated.prefix,
      keyHash: generated.hash,
      scopes,
      createdAt: Date.now(),
    });
  return generated.key;
}
