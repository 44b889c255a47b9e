import { SELF } from 'cloudflare:test';
import { createApiKey } from '../../test/api-keys.ts';
import { authed, BASE } from '../../test/seed.ts';
import { insertSealedConfig } from '../plugin-configs/testing.ts';

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

export const addCredential = (teamId: string, providerId: string): Promise<string> =>
  insertSealedConfig(teamId, {
    kind: 'provider',
    pluginId: providerId,
    id: `cred_${crypto.randomUUID()}`,
    secrets: { apiKey: 'test-key' },
  });

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
