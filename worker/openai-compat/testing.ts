import { SELF } from 'cloudflare:test';
import OpenAI from 'openai';
import { inject } from 'vitest';
import { createApiKey } from '../../test/api-keys.ts';
import { addChatbot } from '../../test/seed.ts';
import { simpleDefinition } from '../chatbots/definition.ts';

/** The official OpenAI SDK, unchanged, with its base URL on the Worker under test. */
export function openaiClient(apiKey: string): OpenAI {
  return new OpenAI({
    apiKey,
    baseURL: 'https://parley.test/v1',
    fetch: (url, init) => SELF.fetch(url, init),
    // A retried request would hide the status under test.
    maxRetries: 0,
  });
}

/** A key of the team holding only `scopes` (one helper for every test: test/api-keys.ts). */
export const scopedKey = createApiKey;

/** A chatbot on the real OpenAI plugin and SDK, pointed at the fake OpenAI server. */
export async function fakeOpenAIChatbot(teamId: string, model: string, tools: string[] = []): Promise<string> {
  const credentialId = `cred_${crypto.randomUUID()}`;
  const definition = simpleDefinition({
    providerId: 'openai',
    credentialId,
    model,
    systemPrompt: 'Be brief.',
    parameters: {},
    tools,
    maxToolSteps: 3,
  });
  return addChatbot(teamId, definition, {
    id: credentialId,
    providerId: 'openai',
    settings: { baseUrl: inject('fakeServers').openai, maxRetries: 1 },
    secrets: { apiKey: 'test-key' },
  });
}

/** The error an SDK call rejected with (the test fails if it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
