import { describe, expect, it } from 'vitest';
import { runEmbedderContract } from '../../sdk/contracts/embedder.contract.ts';
import { geminiEmbedder } from './index.ts';
import { geminiEmbedContext, geminiEmbedRequests } from './testing.ts';

runEmbedderContract(geminiEmbedder, {
  label: 'gemini-embeddings against the fake API',
  context: ({ signal, clock }) => ({ ...geminiEmbedContext(signal), clock }),
  deterministic: true,
  rateLimitedInput: 'fake-429 please',
  refusedSettings: { apiKey: 'AIzaWrongKey0123456789' },
});

const norm = (vector: Float32Array | undefined) => Math.sqrt([...(vector ?? [])].reduce((sum, v) => sum + v * v, 0));

describe('gemini embedder', () => {
  it('sends the task type of the purpose and the reduced size, one batch call for all inputs', async () => {
    const marker = `task ${crypto.randomUUID()}`;
    const ctx = geminiEmbedContext();
    const model = 'gemini-embedding-001@768';
    const documents = await geminiEmbedder.embed(ctx, { model, inputs: [marker, 'two'], purpose: 'document' });
    const query = await geminiEmbedder.embed(ctx, { model, inputs: [marker], purpose: 'query' });
    expect(await geminiEmbedRequests(marker)).toEqual([
      {
        model: 'gemini-embedding-001',
        taskType: 'RETRIEVAL_DOCUMENT',
        outputDimensionality: 768,
        count: 2,
        first: marker,
      },
      {
        model: 'gemini-embedding-001',
        taskType: 'RETRIEVAL_QUERY',
        outputDimensionality: 768,
        count: 1,
        first: marker,
      },
    ]);
    // The model embeds a text differently as a question than as a document.
    expect(query.vectors[0]).not.toEqual(documents.vectors[0]);
  });

  it('normalises reduced-size vectors to unit length, as the API returns only the full size normalised', async () => {
    const { vectors } = await geminiEmbedder.embed(geminiEmbedContext(), {
      model: 'gemini-embedding-001@1536',
      inputs: ['unit length please'],
      purpose: 'document',
    });
    expect(norm(vectors[0])).toBeCloseTo(1, 5);
  });

  it('reads RetryInfo’s retryDelay on a 429, and says to check a refused key without quoting it', async () => {
    const limited = await geminiEmbedder
      .embed(geminiEmbedContext(), { model: 'gemini-embedding-001', inputs: ['fake-429'], purpose: 'document' })
      .catch((thrown: unknown) => thrown);
    expect(limited).toMatchObject({ name: 'EmbedderError', retryable: true, retryAfterMs: 3000 });
    expect((limited as Error).message).toMatch(/429 RESOURCE_EXHAUSTED: You exceeded your current quota/);
    const key = 'AIzaSyD-secret-key-0123456789abcdefghijk';
    const refused = await geminiEmbedder
      .embed(geminiEmbedContext(undefined, { apiKey: key }), {
        model: 'gemini-embedding-001',
        inputs: ['hello'],
        purpose: 'document',
      })
      .catch((thrown: unknown) => thrown);
    expect(refused).toMatchObject({ name: 'EmbedderError', retryable: false });
    expect((refused as Error).message).toMatch(/400 INVALID_ARGUMENT: API key not valid.*Check the API key/);
    expect((refused as Error).message).not.toContain(key);
  });

  it('treats an unreachable API as retryable', async () => {
    const error = await geminiEmbedder
      .embed(geminiEmbedContext(undefined, { baseUrl: 'http://127.0.0.1:9' }), {
        model: 'gemini-embedding-001',
        inputs: ['hello'],
        purpose: 'document',
      })
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'EmbedderError', retryable: true });
  });
});
