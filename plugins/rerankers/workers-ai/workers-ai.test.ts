import { describe, expect, it } from 'vitest';
import { runRerankerContract } from '../../sdk/contracts/reranker.contract.ts';
import { FIXED_EPOCH } from '../../sdk/testing/fakes.ts';
import { workersAiReranker } from './index.ts';
import { fakeRerankerBinding, workersAiRerankContext } from './testing.ts';

runRerankerContract(workersAiReranker, {
  label: 'workers-ai-reranker against a binding of the documented shape',
  context: ({ signal, clock }) => ({ ...workersAiRerankContext(fakeRerankerBinding(), signal), clock }),
  deterministic: true,
  ranksFixture: true,
  rateLimitedQuery: 'fake-3040 please',
});

const request = {
  model: '@cf/baai/bge-reranker-base',
  query: 'reset the router',
  documents: ['Reset the router with the pin.', 'Opening hours'],
  topN: 1,
};

describe('workers-ai re-ranker', () => {
  it('calls run(model, { query, contexts, top_k }) once and maps id to index', async () => {
    const binding = fakeRerankerBinding();
    const results = await workersAiReranker.rerank(workersAiRerankContext(binding), request);
    expect(binding.calls).toEqual([
      { model: '@cf/baai/bge-reranker-base', query: 'reset the router', contexts: request.documents, topK: 1 },
    ]);
    expect(results).toEqual([{ index: 0, score: expect.any(Number) }]);
  });

  it('cuts a passage to what the model reads after the query, rather than failing', async () => {
    const binding = fakeRerankerBinding();
    await workersAiReranker.rerank(workersAiRerankContext(binding), {
      ...request,
      documents: ['x'.repeat(10_000)],
    });
    expect(binding.calls[0]?.contexts[0]?.length).toBe(512 * 4 - request.query.length);
  });

  it('says to add the [ai] binding when the deployment has none', async () => {
    const error = await workersAiReranker.rerank(workersAiRerankContext(undefined), request).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RerankerError', retryable: false });
    expect((error as Error).message).toMatch(/add \[ai\] with binding = "AI"/);
  });

  it('waits until 00:00 UTC when the daily allocation is used up (3036)', async () => {
    const error = await workersAiReranker
      .rerank(workersAiRerankContext(fakeRerankerBinding()), { ...request, query: 'fake-3036' })
      .catch((e: unknown) => e);
    expect(new Date(FIXED_EPOCH).getUTCHours()).toBe(12);
    expect(error).toMatchObject({ name: 'RerankerError', retryable: true, retryAfterMs: 12 * 3_600_000 });
  });

  it('refuses an answer whose ids are not the request’s contexts', async () => {
    for (const response of [{ request_id: 'async-1' }, { response: [{ id: 7, score: 1 }] }]) {
      const error = await workersAiReranker
        .rerank(workersAiRerankContext({ run: async () => response }), request)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'RerankerError', retryable: true });
    }
  });
});
