import { describe, expect, it } from 'vitest';
import { runEmbedderContract } from '../../sdk/contracts/embedder.contract.ts';
import { FIXED_EPOCH } from '../../sdk/testing/fakes.ts';
import { workersAiEmbedder } from './index.ts';
import { fakeAiBinding, workersAiContext } from './testing.ts';

runEmbedderContract(workersAiEmbedder, {
  label: 'workers-ai against a binding of the recorded shape',
  context: ({ signal, clock }) => ({ ...workersAiContext(fakeAiBinding(), signal), clock }),
  deterministic: true,
  rateLimitedInput: 'fake-3040 please',
});

const request = { model: '@cf/baai/bge-m3', inputs: ['Hello'], purpose: 'document' as const };

describe('workers-ai embedder', () => {
  it('calls run(model, { text }) with every input at once', async () => {
    const binding = fakeAiBinding();
    const { vectors } = await workersAiEmbedder.embed(workersAiContext(binding), {
      ...request,
      inputs: ['one', 'two', 'three'],
    });
    expect(binding.calls).toEqual([{ model: '@cf/baai/bge-m3', texts: ['one', 'two', 'three'] }]);
    expect(vectors.map((vector) => vector.length)).toEqual([1024, 1024, 1024]);
  });

  it('says to add the [ai] binding when the deployment has none', async () => {
    const error = await workersAiEmbedder.embed(workersAiContext(undefined), request).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'EmbedderError', retryable: false });
    expect((error as Error).message).toMatch(/add \[ai\] with binding = "AI"/);
  });

  it('waits until 00:00 UTC when the daily allocation is used up (3036)', async () => {
    const error = await workersAiEmbedder
      .embed(workersAiContext(fakeAiBinding()), { ...request, inputs: ['fake-3036'] })
      .catch((e: unknown) => e);
    // The fake clock reads 12:00 UTC: twelve hours to the reset.
    expect(new Date(FIXED_EPOCH).getUTCHours()).toBe(12);
    expect(error).toMatchObject({ name: 'EmbedderError', retryable: true, retryAfterMs: 12 * 3_600_000 });
  });

  it('does not retry an unknown model, and refuses an answer that is not embeddings', async () => {
    const unknown = await workersAiEmbedder
      .embed(workersAiContext(fakeAiBinding()), { ...request, model: '@cf/unknown' })
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ name: 'EmbedderError', retryable: false });
    expect((unknown as Error).message).toMatch(/5007: No such model/);
    const odd = await workersAiEmbedder
      .embed(workersAiContext({ run: async () => ({ request_id: 'async-1' }) }), request)
      .catch((e: unknown) => e);
    expect(odd).toMatchObject({ name: 'EmbedderError' });
  });
});
