import { env, SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { authed, BASE, seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { pluginConfigs } from '../db/schema/index.ts';
import { SecretBox, secretContext } from '../security/secrets.ts';

describe('GET /api/v1/plugins', () => {
  it('lists every installed plugin with its settings as JSON Schema, secrets write-only', async () => {
    const demo = await seedDemo();
    const res = await SELF.fetch(`${BASE}/api/v1/plugins`, authed(demo.apiKey));
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as {
      data: { id: string; kind: string; settingsSchema: { properties: Record<string, { writeOnly?: boolean }> } }[];
    };
    expect(data.map((p) => `${p.kind}:${p.id}`).sort()).toEqual([
      'channel:messenger',
      'channel:slack',
      'channel:telegram',
      'channel:twilio',
      'channel:whatsapp',
      'email:cloudflare-email',
      'email:resend',
      'embedder:gemini-embeddings',
      'embedder:offline-embedder',
      'embedder:openai-embeddings',
      'embedder:workers-ai',
      'node:code',
      'node:end-conversation',
      'node:extract-structured',
      'node:http-request',
      'node:knowledge-retrieval',
      'node:llm',
      'node:llm-router',
      'node:reply',
      'node:send-email',
      'node:set-state',
      'node:static-router',
      'node:template',
      'node:tool',
      'node:update-participant-data',
      'provider:anthropic',
      'provider:azure-openai',
      'provider:deepseek',
      'provider:gemini',
      'provider:groq',
      'provider:llama-cpp',
      'provider:mistral',
      'provider:offline',
      'provider:ollama',
      'provider:openai',
      'provider:openrouter',
      'provider:perplexity',
      'provider:together',
      'provider:vllm',
      'reranker:cohere-rerank',
      'reranker:offline-reranker',
      'reranker:workers-ai-reranker',
      'tool:clock',
    ]);
    const openai = data.find((p) => p.id === 'openai');
    expect(openai?.settingsSchema.properties.apiKey?.writeOnly).toBe(true);
    expect(openai?.settingsSchema.properties.baseUrl?.writeOnly).toBeUndefined();
    expect((await SELF.fetch(`${BASE}/api/v1/plugins`)).status).toBe(401);
  });
});

describe('GET /api/v1/providers/{id}/models', () => {
  it("lists a provider's models through the team's credential, and only the team's", async () => {
    const demo = await seedDemo();
    const credentialId = `cred_${crypto.randomUUID()}`;
    const box = await SecretBox.fromBase64Url(env.ENCRYPTION_KEY);
    await database(env.DB)
      .insert(pluginConfigs)
      .values({
        id: credentialId,
        teamId: demo.teamId,
        kind: 'provider',
        pluginId: 'openai',
        name: 'fake',
        uniqueKey: 'fake',
        settings: { baseUrl: inject('fakeServers').openai },
        secrets: await box.sealJson({ apiKey: 'test-key' }, secretContext(demo.teamId, 'provider', credentialId)),
        createdAt: Date.now(),
        updatedAt: Date.now(),
      });
    const res = await SELF.fetch(
      `${BASE}/api/v1/providers/openai/models?credentialId=${credentialId}`,
      authed(demo.apiKey),
    );
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { id: string }[] };
    expect(data.length).toBeGreaterThan(0);
    expect(data.every((model) => !/embedding|tts|whisper|dall-e/.test(model.id))).toBe(true);

    const offline = await SELF.fetch(`${BASE}/api/v1/providers/offline/models`, authed(demo.apiKey));
    expect(((await offline.json()) as { data: { id: string }[] }).data.map((m) => m.id)).toEqual(['offline-echo']);

    const other = await seedDemo();
    const foreign = await SELF.fetch(
      `${BASE}/api/v1/providers/openai/models?credentialId=${credentialId}`,
      authed(other.apiKey),
    );
    expect(foreign.status).toBe(404);
    expect((await SELF.fetch(`${BASE}/api/v1/providers/nope/models`, authed(demo.apiKey))).status).toBe(404);
    const missingKey = await SELF.fetch(`${BASE}/api/v1/providers/openai/models`, authed(demo.apiKey));
    expect(missingKey.status).toBe(400);
    expect(((await missingKey.json()) as { error: { code: string } }).error.code).toBe('credential_invalid');
  });
});
