import { CITATION_SNIPPET_CHARS, type Citation } from '../../plugins/sdk/citation.ts';
import type { RetrievedChunk } from '../../plugins/sdk/node/services.ts';
import type { CitableChunk } from './pipeline-knowledge.ts';

// `[1]`, and the `[1, 3]` / `[1][3]` forms models also write; three digits is far beyond a run's 8 × 50 chunks.
const MARKER = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;

/** The citation numbers a text uses, in order of first appearance. */
export function citedNumbers(text: string): number[] {
  const seen = new Set<number>();
  for (const match of text.matchAll(MARKER)) {
    for (const part of (match[1] ?? '').split(',')) seen.add(Number(part.trim()));
  }
  return [...seen];
}

function citationOf({ chunk, url }: CitableChunk): Citation {
  return {
    n: chunk.n,
    collectionId: chunk.collectionId,
    documentId: chunk.documentId,
    title: chunk.documentTitle,
    chunkKey: chunk.chunkKey,
    ordinal: chunk.ordinal,
    ...(chunk.page !== undefined && { page: chunk.page }),
    ...(url !== undefined && { url }),
    // The snippet is all of the chunk's text metadata ever holds: replies are exported and sent to channels.
    snippet: chunk.text.slice(0, CITATION_SNIPPET_CHARS),
  };
}

/**
 * A reply's citations (docs/knowledge.md, "Citations"): the chunks of this run whose `[n]` appears in its text; when
 * it cites none by number and it is an LLM answer given `sources` (citations on), those sources. Only chunks this run
 * retrieved: a number the model invented, or a source from another run, is never cited.
 */
export function replyCitations(
  text: string,
  retrieved: ReadonlyMap<number, CitableChunk>,
  sources: readonly RetrievedChunk[] | undefined,
): Citation[] {
  if (retrieved.size === 0) return [];
  const cited = citedNumbers(text).flatMap((n) => {
    const entry = retrieved.get(n);
    return entry ? [entry] : [];
  });
  if (cited.length > 0) return cited.map(citationOf);
  const given = (sources ?? []).flatMap((source) => {
    const entry = retrieved.get(source.n);
    return entry && entry.chunk.chunkKey === source.chunkKey && entry.chunk.collectionId === source.collectionId
      ? [entry]
      : [];
  });
  return [...new Map(given.map((entry) => [entry.chunk.n, entry])).values()].map(citationOf);
}
