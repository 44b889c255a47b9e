import { env } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { EmbedderError } from '../../plugins/sdk/index.ts';
import { api } from '../../test/api-fixtures.ts';
import { seedDemo } from '../../test/seed.ts';
import type { Env } from '../env.ts';
import { EmbedderUnavailable, embedTexts } from './embed.ts';

const OFFLINE = { pluginId: 'offline-embedder', model: 'hash-1024', dimensions: 1024 };
const OPENAI = { pluginId: 'openai-embeddings', model: 'text-embedding-3-small', dimensions: 1536 };
const WORKERS_AI = { pluginId: 'workers-ai', model: '@cf/baai/bge-m3', dimensions: 1024 };

const fakeUrl = (): string => {
  const url = inject('fakeServers')['openai-embeddings'];
  if (!url) throw new Error('the fake embeddings server is not running');
  return url;
};

/** What the fake embeddings API answered for requests whose first input contains `needle`. */
async function requestsWith(needle: string): Promise<{ model: string; inputs: number }[]> {
  const res = await fetch(`${fakeUrl()}/__requests?contains=${encodeURIComponent(needle)}`);
  return (await res.json()) as { model: string; inputs: number }[];
}

/** A team whose openai-embeddings configuration was made through the plugin-config API, pointed at the fake. */
async function teamWithOpenAI(): Promise<string> {
  const demo = await seedDemo();
  const res = await api.send(demo.apiKey, 'POST', '/api/v1/plugin-configs', {
    pluginId: 'openai-embeddings',
    settings: { apiKey: 'test-key', baseUrl: fakeUrl() },
  });
  expect(res.status).toBe(201);
  return demo.teamId;
}

describe('embedTexts', () => {
  it('embeds with the offline embedder for a team that configured nothing', async () => {
    const { vectors } = await embedTexts(env, 'team_unconfigured', OFFLINE, ['alpha', 'beta'], 'document');
    expect(vectors.map((vector) => vector.length)).toEqual([1024, 1024]);
  });

  it('refuses a plugin the team has not configured, and a model the plugin does not have', async () => {
    await expect(embedTexts(env, 'team_unconfigured', OPENAI, ['alpha'], 'document')).rejects.toThrow(
      EmbedderUnavailable,
    );
    await expect(
      embedTexts(env, 'team_unconfigured', { ...OPENAI, model: 'text-embedding-9' }, ['alpha'], 'document'),
    ).rejects.toThrow(/has no model text-embedding-9/);
  });

  it('reaches the configured API, in batches of the model’s maxBatch, vectors in input order', async () => {
    const teamId = await teamWithOpenAI();
    const marker = `batch ${crypto.randomUUID()}`;
    // text-embedding-3-small's maxBatch is 36: 40 inputs are two requests, 36 and 4.
    const inputs = Array.from({ length: 40 }, (_, i) => `${marker} ${i}`);
    const { vectors, tokens } = await embedTexts(env, teamId, OPENAI, inputs, 'document');
    expect(vectors).toHaveLength(40);
    expect(vectors.every((vector) => vector.length === 1536)).toBe(true);
    expect((await requestsWith(marker)).map((request) => request.inputs)).toEqual([36, 4]);
    expect(tokens).toBe(40 * 3);
    const alone = await embedTexts(env, teamId, OPENAI, [`${marker} 39`], 'query');
    expect(alone.vectors[0]).toEqual(vectors[39]);
  });

  it('retries nothing itself: a 429 is one request and a retryable EmbedderError with the wait', async () => {
    const teamId = await teamWithOpenAI();
    const marker = `fake-429 ${crypto.randomUUID()}`;
    const error = await embedTexts(env, teamId, OPENAI, [marker], 'document').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(EmbedderError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 2000 });
    expect(await requestsWith(marker)).toHaveLength(1);
  });

  it('hands the AI binding to the workers-ai embedder, and says it is missing without one', async () => {
    await expect(embedTexts(env, 'team_ai', WORKERS_AI, ['alpha'], 'document')).rejects.toThrow(/needs the AI binding/);
    const calls: { model: string; text: string[] }[] = [];
    // Workers AI has no local simulator: a binding answering bge-m3's output shape ({ shape, data }).
    const AI = {
      async run(model: string, inputs: { text: string[] }) {
        calls.push({ model, text: inputs.text });
        return { shape: [inputs.text.length, 1024], data: inputs.text.map(() => new Array(1024).fill(1 / 32)) };
      },
    };
    const withAi = { ...env, AI } as unknown as Env;
    const { vectors } = await embedTexts(withAi, 'team_ai', WORKERS_AI, ['alpha', 'beta'], 'query');
    expect(vectors).toHaveLength(2);
    expect(calls).toEqual([{ model: '@cf/baai/bge-m3', text: ['alpha', 'beta'] }]);
  });
});
