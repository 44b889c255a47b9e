/** Test-only helpers: contexts pointed at the fake embeddings API (./fake/server.ts). */
import { inject } from 'vitest';
import type { EmbedContext } from '../../sdk/index.ts';
import { fakeClock } from '../../sdk/testing/fakes.ts';
import type { EmbeddingsRequestRecord } from './fake/server.ts';
import { openaiEmbedder } from './index.ts';
import type { OpenAIEmbedderSettings } from './settings.ts';

export function fakeEmbeddingsUrl(): string {
  const url = inject('fakeServers')['openai-embeddings'];
  if (!url)
    throw new Error('The fake embeddings server is not running: is plugins/embedders/openai/fake/server.ts loaded?');
  return url;
}

export function openaiEmbedContext(
  signal: AbortSignal = new AbortController().signal,
  overrides: Partial<OpenAIEmbedderSettings> = {},
): EmbedContext<OpenAIEmbedderSettings> {
  return {
    settings: openaiEmbedder.settings.parse({ apiKey: 'test-key', baseUrl: fakeEmbeddingsUrl(), ...overrides }),
    fetch: (input, init) => fetch(input, init),
    clock: fakeClock(),
    signal,
  };
}

/** What the fake answered, for requests whose first input contains `needle`. */
export async function embeddingRequests(needle: string): Promise<EmbeddingsRequestRecord[]> {
  const res = await fetch(`${fakeEmbeddingsUrl()}/__requests?contains=${encodeURIComponent(needle)}`);
  return (await res.json()) as EmbeddingsRequestRecord[];
}
