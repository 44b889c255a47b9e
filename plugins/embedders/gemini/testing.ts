/** Test-only helpers: contexts pointed at the fake Gemini embeddings API (./fake/server.ts). */
import { inject } from 'vitest';
import type { EmbedContext } from '../../sdk/index.ts';
import { fakeClock } from '../../sdk/testing/fakes.ts';
import type { GeminiEmbedRecord } from './fake/server.ts';
import { geminiEmbedder } from './index.ts';
import type { GeminiEmbedderSettings } from './settings.ts';

export function fakeGeminiEmbeddingsUrl(): string {
  const url = inject('fakeServers')['gemini-embeddings'];
  if (!url)
    throw new Error(
      'The fake Gemini embeddings server is not running: is plugins/embedders/gemini/fake/server.ts loaded?',
    );
  return url;
}

export function geminiEmbedContext(
  signal: AbortSignal = new AbortController().signal,
  overrides: Partial<GeminiEmbedderSettings> = {},
): EmbedContext<GeminiEmbedderSettings> {
  return {
    settings: geminiEmbedder.settings.parse({ apiKey: 'test-key', baseUrl: fakeGeminiEmbeddingsUrl(), ...overrides }),
    fetch: (input, init) => fetch(input, init),
    clock: fakeClock(),
    signal,
  };
}

export async function geminiEmbedRequests(needle: string): Promise<GeminiEmbedRecord[]> {
  const res = await fetch(`${fakeGeminiEmbeddingsUrl()}/__requests?contains=${encodeURIComponent(needle)}`);
  return (await res.json()) as GeminiEmbedRecord[];
}
