import { describe, expect, it } from 'vitest';
import { runRerankerContract } from '../../sdk/contracts/reranker.contract.ts';
import { cohereReranker } from './index.ts';
import { cohereContext, rerankRequests } from './testing.ts';

runRerankerContract(cohereReranker, {
  label: 'cohere-rerank against the fake API',
  context: ({ signal, clock }) => ({ ...cohereContext(signal), clock }),
  deterministic: true,
  ranksFixture: true,
  rateLimitedQuery: 'fake-429 please',
  refusedSettings: { apiKey: 'co-wrong-key-0123456789' },
});

const documents = ['Reset the router with the pin.', 'Opening hours are nine to five.', 'The router light blinks.'];

describe('cohere re-ranker', () => {
  it('sends model, query, documents, top_n and the model’s max_tokens_per_doc to /v2/rerank', async () => {
    const query = `reset router ${crypto.randomUUID()}`;
    const results = await cohereReranker.rerank(cohereContext(), { model: 'rerank-v3.5', query, documents, topN: 2 });
    expect(await rerankRequests(query)).toEqual([
      { model: 'rerank-v3.5', query, documentLengths: documents.map((d) => d.length), topN: 2, maxTokensPerDoc: 4096 },
    ]);
    expect(results.map((result) => result.index)).toEqual([0, 2]);
    expect(results[0]?.score).toBeGreaterThan(results[1]?.score ?? 1);
  });

  it('asks for no more results than there are documents', async () => {
    const query = `hours ${crypto.randomUUID()}`;
    await cohereReranker.rerank(cohereContext(), { model: 'rerank-v3.5', query, documents, topN: 20 });
    expect((await rerankRequests(query))[0]?.topN).toBe(3);
  });

  it('carries Retry-After on a 429 as a retryable error, after one attempt', async () => {
    const query = `fake-429 ${crypto.randomUUID()}`;
    const error = await cohereReranker
      .rerank(cohereContext(), { model: 'rerank-v3.5', query, documents, topN: 2 })
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'RerankerError', retryable: true, retryAfterMs: 3000 });
    expect((error as Error).message).toMatch(/answered 429: You are using a Trial key/);
    expect(await rerankRequests(query)).toHaveLength(1);
  });

  it('treats a 400 as final and a 500 as retryable', async () => {
    const refused = await cohereReranker
      .rerank(cohereContext(), { model: 'rerank-v3.5', query: 'fake-400', documents, topN: 2 })
      .catch((thrown: unknown) => thrown);
    expect(refused).toMatchObject({ name: 'RerankerError', retryable: false });
    expect((refused as Error).message).toMatch(/answered 400: invalid request/);
    const failed = await cohereReranker
      .rerank(cohereContext(), { model: 'rerank-v3.5', query: 'fake-500', documents, topN: 2 })
      .catch((thrown: unknown) => thrown);
    expect(failed).toMatchObject({ name: 'RerankerError', retryable: true });
  });

  it('never quotes a refused key, and calls an unreachable host retryable', async () => {
    const key = 'co-live-secret-abcdef0123456789';
    const refused = await cohereReranker
      .rerank(cohereContext(undefined, { apiKey: key }), { model: 'rerank-v3.5', query: 'q', documents, topN: 1 })
      .catch((thrown: unknown) => thrown);
    expect((refused as Error).message).toMatch(/answered 401: .*Check the API key/);
    expect((refused as Error).message).not.toContain('abcdef');
    const unreachable = await cohereReranker
      .rerank(
        // A refused connection as fetch reports it (workerd logs a real one to port 9 as an uncaught error).
        { ...cohereContext(), fetch: () => Promise.reject(new TypeError('connect ECONNREFUSED 127.0.0.1:443')) },
        { model: 'rerank-v3.5', query: 'q', documents, topN: 1 },
      )
      .catch((thrown: unknown) => thrown);
    expect(unreachable).toMatchObject({ name: 'RerankerError', retryable: true });
  });
});
