/**
 * The Worker `npm run bench:knowledge` runs in Miniflare (scripts/bench/knowledge.ts): the real KnowledgeDO, fed a
 * generated corpus, searched with generated queries. Not part of the deployed Worker (nothing imports it). Every
 * chunk is a pure function of its number, so the Worker can also compute the exact dense top-k for a query (to
 * measure the quantized scan's recall) without keeping 400 MB of vectors anywhere.
 */

import { dot, normalized } from './binary-quantization.ts';
import { knowledgeIndex } from './client.ts';
import type { CollectionRef, IndexedChunk } from './knowledge-index.ts';

export { KnowledgeDO } from './knowledge-do.ts';

const DIMS = 1024;
const CLUSTERS = 200;
const VOCABULARY = 20_000;

const ref: CollectionRef = {
  teamId: 'team_bench',
  collectionId: 'kcol_bench',
  embedder: { pluginId: 'offline-embedder', model: 'hash-1024', dimensions: DIMS },
};

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const centres = Array.from({ length: CLUSTERS }, (_, c) => {
  const next = rng(1_000_003 + c);
  return Float32Array.from({ length: DIMS }, () => next() * 2 - 1);
});

/** A word of a Zipf-like vocabulary: low numbers far more often, as in real text. */
const word = (next: () => number) => `w${Math.floor(VOCABULARY * next() ** 3).toString(36)}`;

function chunkVector(i: number): Float32Array {
  const next = rng(i * 7919 + 17);
  const centre = centres[i % CLUSTERS] as Float32Array;
  return Float32Array.from(centre, (value) => value + (next() * 2 - 1) * 0.9);
}

function chunk(i: number): IndexedChunk {
  const next = rng(i * 104_729 + 5);
  const words = Array.from({ length: 120 }, () => word(next));
  return {
    documentId: `kdoc_${Math.floor(i / 100)}`,
    chunkKey: i.toString(16).padStart(8, '0'),
    ordinal: i % 100,
    text: words.join(' '),
    context: `Section ${i % 17}`,
    tokens: 160,
    vector: chunkVector(i),
  };
}

function benchQuery(q: number, total: number): { text: string; vector: Float32Array } {
  const next = rng(q * 31 + 99_991);
  const target = Math.floor(next() * total);
  const words = chunk(target).text.split(' ');
  const vector = Float32Array.from(chunkVector(target), (value) => value + (next() * 2 - 1) * 0.9);
  return { text: `${words[3]} ${words[40]}`, vector };
}

export default {
  async fetch(request: Request, env: { KNOWLEDGE: DurableObjectNamespace }): Promise<Response> {
    const url = new URL(request.url);
    const index = knowledgeIndex(env as never);
    const number = (name: string) => Number(url.searchParams.get(name) ?? '0');
    if (url.pathname === '/load') {
      const chunks = Array.from({ length: number('to') - number('from') }, (_, i) => chunk(number('from') + i));
      await index.addChunks(ref, 1, chunks);
      return Response.json({ added: chunks.length });
    }
    if (url.pathname === '/search') {
      const { text, vector } = benchQuery(number('q'), number('total'));
      const mode = (url.searchParams.get('mode') ?? 'hybrid') as 'hybrid' | 'dense' | 'keyword';
      const hits = await index.search(ref, { text, vector, topK: 10, fetchK: 40, denseWeight: 0.7, rrfK: 60, mode });
      return Response.json({ keys: hits.map((h) => h.chunkKey) });
    }
    if (url.pathname === '/exact') {
      // The true dense top-10 of query q, by brute force over the regenerated vectors.
      const { vector } = benchQuery(number('q'), number('total'));
      const unit = normalized(vector);
      const best: { key: string; score: number }[] = [];
      for (let i = 0; i < number('total'); i++) {
        const score = dot(unit, normalized(chunkVector(i)));
        if (best.length < 10 || score > (best[best.length - 1]?.score ?? -2)) {
          best.push({ key: i.toString(16).padStart(8, '0'), score });
          best.sort((a, b) => b.score - a.score);
          if (best.length > 10) best.pop();
        }
      }
      return Response.json({ keys: best.map((b) => b.key) });
    }
    return new Response('not found', { status: 404 });
  },
};
