import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { runEmbedderContract } from '../../sdk/contracts/embedder.contract.ts';
import { EmbedderError } from '../../sdk/index.ts';
import { openaiEmbedder } from './index.ts';
import { embeddingRequests, fakeEmbeddingsUrl, openaiEmbedContext } from './testing.ts';

runEmbedderContract(openaiEmbedder, {
  label: 'openai-embeddings against the fake API',
  context: ({ signal, clock }) => ({ ...openaiEmbedContext(signal), clock }),
  deterministic: true,
  rateLimitedInput: 'fake-429 please',
  refusedSettings: { apiKey: 'sk-wrong-key-0123456789' },
});

describe('openai embedder', () => {
  it('asks for float vectors, and for the shortened size a model id’s @suffix names', async () => {
    const marker = `dims ${crypto.randomUUID()}`;
    const { vectors } = await openaiEmbedder.embed(openaiEmbedContext(), {
      model: 'text-embedding-3-large@1024',
      inputs: [marker],
      purpose: 'document',
    });
    expect(vectors[0]?.length).toBe(1024);
    expect(await embeddingRequests(marker)).toEqual([
      { model: 'text-embedding-3-large', dimensions: 1024, encodingFormat: 'float', inputs: 1, first: marker },
    ]);
  });

  it('reports the input tokens the API billed', async () => {
    const result = await openaiEmbedder.embed(openaiEmbedContext(), {
      model: 'text-embedding-3-small',
      inputs: ['one two three', 'four five'],
      purpose: 'document',
    });
    expect(result.tokens).toBe(5);
  });

  it('carries Retry-After as retryAfterMs on a 429, makes one attempt and keeps the key out', async () => {
    const marker = `fake-429 ${crypto.randomUUID()}`;
    const error = await openaiEmbedder
      .embed(openaiEmbedContext(), { model: 'text-embedding-3-small', inputs: [marker], purpose: 'document' })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(EmbedderError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 2000 });
    expect((error as Error).message).toMatch(/answered 429: Rate limit reached/);
    expect(await embeddingRequests(marker)).toHaveLength(1);
  });

  it('treats a 500 as retryable and a refused key as not, never quoting the key', async () => {
    const server = await openaiEmbedder
      .embed(openaiEmbedContext(), { model: 'text-embedding-3-small', inputs: ['fake-500'], purpose: 'document' })
      .catch((thrown: unknown) => thrown);
    expect(server).toMatchObject({ name: 'EmbedderError', retryable: true });
    const key = 'sk-live-secret-abcdef0123456789';
    const refused = await openaiEmbedder
      .embed(openaiEmbedContext(undefined, { apiKey: key }), {
        model: 'text-embedding-3-small',
        inputs: ['hello'],
        purpose: 'document',
      })
      .catch((thrown: unknown) => thrown);
    expect(refused).toMatchObject({ name: 'EmbedderError', retryable: false });
    expect((refused as Error).message).toMatch(/answered 401/);
    expect((refused as Error).message).not.toMatch(/sk-wr|abcdef/);
  });

  it('speaks base64 too, as the SDK asks by default: the fake decodes to the same float32 vector', async () => {
    const client = new OpenAI({ apiKey: 'test-key', baseURL: fakeEmbeddingsUrl(), maxRetries: 0, fetch });
    const input = `base64 ${crypto.randomUUID()}`;
    const byDefault = await client.embeddings.create({ model: 'text-embedding-3-small', input });
    const asFloat = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input,
      encoding_format: 'float',
    });
    expect((await embeddingRequests(input)).map((request) => request.encodingFormat)).toEqual(['base64', 'float']);
    expect(byDefault.data[0]?.embedding).toEqual(asFloat.data[0]?.embedding);
  });
});
