import type { VectorFilter } from '../../ports/vector-store.ts';
import type { CollectionRef } from './knowledge-index.ts';

/**
 * How a collection's chunks sit in a VectorStore: the team is the namespace (so isolation never rests on a filter);
 * metadata names the collection, the document and the revisions the chunk lives in, which Vectorize indexes for
 * filtering (README Deploy: `wrangler vectorize create-metadata-index` for each of the four).
 */
export const RETIRED_NEVER = 2_147_483_647;

export interface ChunkVectorMetadata {
  [key: string]: string | number;
  collection: string;
  document: string;
  added: number;
  /** The revision the chunk was retired in; RETIRED_NEVER while it is live (Vectorize filters no missing key). */
  retired: number;
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

/**
 * A chunk's vector id: 32 base64url characters (192 bits) of SHA-256 over collection, document, chunk key and the
 * revision it was added in. Known before the chunk's row exists, so a redelivered batch writes the same vector again
 * (an upsert) instead of a second one; unique across the team's collections, which share a namespace.
 */
export async function chunkVectorId(
  collectionId: string,
  documentId: string,
  chunkKey: string,
  addedRevision: number,
): Promise<string> {
  const input = new TextEncoder().encode(`${collectionId}\u0000${documentId}\u0000${chunkKey}\u0000${addedRevision}`);
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', input))).slice(0, 32);
}

/**
 * Vectorize refuses a filter whose compact JSON is 2,048 bytes or more
 * (developers.cloudflare.com/vectorize/reference/metadata-filtering/): about 55 document ids of 31 characters.
 */
export const MAX_FILTER_BYTES = 2048;

/**
 * The filter of a dense search: this collection, the chunks visible at `revision` (latest when omitted), documents.
 * A document list too long for Vectorize's filter is left out of it: the KnowledgeDO re-checks every match against
 * the query's documents (search-chunks.ts), so results stay correct, at the cost of recall when most of the
 * collection's nearest chunks are in other documents.
 */
export function chunkFilter(
  ref: CollectionRef,
  revision: number | undefined,
  documentIds: readonly string[] | undefined,
): VectorFilter {
  const filter: VectorFilter =
    revision === undefined
      ? { collection: ref.collectionId, retired: RETIRED_NEVER }
      : { collection: ref.collectionId, added: { $lte: revision }, retired: { $gt: revision } };
  if (!documentIds) return filter;
  const withDocuments: VectorFilter = { ...filter, document: { $in: [...documentIds] } };
  return new TextEncoder().encode(JSON.stringify(withDocuments)).byteLength < MAX_FILTER_BYTES ? withDocuments : filter;
}
