import { env, SELF } from 'cloudflare:test';
import { createApiKey } from '../../test/api-keys.ts';
import { authed, BASE } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { pluginConfigs } from '../db/schema/index.ts';
import { SecretBox, secretContext } from '../security/secrets.ts';

/** Test helpers for the chatbot routes. */

export interface Sent {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; details?: { field: string }[] } };
}

export async function call(apiKey: string | null, method: string, path: string, body?: unknown): Promise<Sent> {
  const init: RequestInit = { method, ...(body !== undefined && { body: JSON.stringify(body) }) };
  const res = await SELF.fetch(`${BASE}${path}`, apiKey ? authed(apiKey, init) : init);
  return { status: res.status, body: (await res.json()) as Sent['body'] };
}

/** The fields a 400 names, sorted. */
export const fields = (sent: Sent) => (sent.body.error?.details ?? []).map((detail) => detail.field).sort();

/** A key of the team holding only `scopes` (one helper for every test: test/api-keys.ts). */
export const keyWithScopes = createApiKey;

export async function addCredential(teamId: string, providerId: string): Promise<string> {
  const id = `cred_${crypto.randomUUID()}`;
  const box = await SecretBox.fromBase64Url(env.ENCRYPTION_KEY);
  await database(env.DB)
    .insert(pluginConfigs)
    .values({
      id,
      teamId,
      kind: 'provider',
      pluginId: providerId,
      name: id,
      uniqueKey: id,
      settings: {},
      secrets: await box.sealJson({ apiKey: 'test-key' }, secretContext(teamId, 'provider', id)),
      createdAt: Date.now(),
      updatedAt: Date.now(),
    });
  return id;
}

/** A start → llm → end definition as a client would send it, with `llm` overriding the offline defaults. */
export function definitionWith(llm: Record<string, unknown> = {}) {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'start', type: 'start' },
      {
        id: 'llm',
        type: 'llm',
        providerId: 'offline',
        credentialId: null,
        model: 'offline-echo',
        systemPrompt: 'Be brief.',
        parameters: {},
        tools: [],
        maxToolSteps: 2,
        ...llm,
      },
      { id: 'end', type: 'end' },
    ],
    edges: [
      { from: 'start', to: 'llm' },
      { from: 'llm', to: 'end' },
    ],
    settings: { burstPolicy: 'queue', welcomeMessage: 'Hi', starterQuestions: [] },
  };
}
