import { env } from 'cloudflare:test';
import { inject } from 'vitest';
import { addChatbot } from '../../test/seed.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import { database } from '../db/client.ts';
import type { ActionAuth } from './auth.ts';
import { resolveSpec } from './spec-source.ts';
import { createAction } from './store.ts';

/** The fake OpenAPI service (worker/custom-actions/fake/server.ts), started by test/global-setup.ts. */
export const fakeActionsUrl = (path = '') => `${inject('fakeServers').customActions}${path}`;

/** An action of `teamId` made from the fake's spec, offering `selected`, with `auth`. */
export async function fakeAction(
  teamId: string,
  selected: string[],
  auth: ActionAuth = { kind: 'none' },
  extra: { healthUrl?: string | null; name?: string } = {},
) {
  const resolved = await resolveSpec(env, { source: 'url', url: fakeActionsUrl('/openapi.yaml') }, 'spec');
  return createAction(env, database(env.DB), teamId, {
    name: extra.name ?? 'Fake pets',
    description: '',
    specUrl: fakeActionsUrl('/openapi.yaml'),
    resolved,
    baseUrl: fakeActionsUrl(),
    selectedOperations: selected,
    auth,
    healthUrl: extra.healthUrl ?? null,
  });
}

/** A chatbot on the real OpenAI plugin and SDK, pointed at the fake's `fake-script` model, offering `tools`. */
export function scriptedChatbot(teamId: string, tools: string[]): Promise<string> {
  const credentialId = `cred_${crypto.randomUUID()}`;
  const definition = simpleDefinition({
    providerId: 'openai',
    credentialId,
    model: 'fake-script',
    systemPrompt: 'You call APIs.',
    parameters: {},
    tools,
    maxToolSteps: 2,
  });
  return addChatbot(teamId, definition, {
    id: credentialId,
    providerId: 'openai',
    settings: { baseUrl: inject('fakeServers').openai, maxRetries: 0 },
    secrets: { apiKey: 'test-key' },
  });
}
