/** Test-only helpers: contexts pointed at the fake Rerank API (./fake/server.ts). */
import { inject } from 'vitest';
import type { RerankContext } from '../../sdk/index.ts';
import { fakeClock } from '../../sdk/testing/fakes.ts';
import type { RerankRequestRecord } from './fake/server.ts';
import { cohereReranker } from './index.ts';
import type { CohereRerankSettings } from './settings.ts';

export function fakeCohereUrl(): string {
  const url = inject('fakeServers')['cohere-rerank'];
  if (!url)
    throw new Error('The fake Cohere server is not running: is plugins/rerankers/cohere/fake/server.ts loaded?');
  return url;
}

export function cohereContext(
  signal: AbortSignal = new AbortController().signal,
  overrides: Partial<CohereRerankSettings> = {},
): RerankContext<CohereRerankSettings> {
  return {
    settings: cohereReranker.settings.parse({ apiKey: 'test-key', baseUrl: fakeCohereUrl(), ...overrides }),
    fetch: (input, init) => fetch(input, init),
    clock: fakeClock(),
    signal,
  };
}

/** What the fake answered, for requests whose query contains `needle`. */
export async function rerankRequests(needle: string): Promise<RerankRequestRecord[]> {
  const res = await fetch(`${fakeCohereUrl()}/__requests?contains=${encodeURIComponent(needle)}`);
  return (await res.json()) as RerankRequestRecord[];
}
