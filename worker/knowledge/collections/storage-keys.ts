/**
 * Where a collection's bytes sit in R2 (`FILES`): `knowledge/<team>/<collection>/<document>/…`, so deleting a
 * document or a collection is deleting a prefix, and no key of one team can name another's.
 */
export function collectionPrefix(teamId: string, collectionId: string): string {
  return `knowledge/${teamId}/${collectionId}/`;
}

export function documentPrefix(teamId: string, collectionId: string, documentId: string): string {
  return `${collectionPrefix(teamId, collectionId)}${documentId}/`;
}

/** The original bytes, named by their SHA-256: a replaced file is a new object. */
export function originalKey(teamId: string, collectionId: string, documentId: string, sha256: string): string {
  return `${documentPrefix(teamId, collectionId, documentId)}${sha256}`;
}

/** One ingestion attempt's working files: extracted text, plan and embedding batches. */
export function ingestPrefix(teamId: string, collectionId: string, documentId: string, ingestId: string): string {
  return `${documentPrefix(teamId, collectionId, documentId)}ingest/${ingestId}/`;
}

/** Deletes every object under `prefix` (R2 lists and deletes at most 1,000 keys per call). */
export async function deletePrefix(bucket: R2Bucket, prefix: string, except: (key: string) => boolean = () => false) {
  let cursor: string | undefined;
  do {
    const listing = await bucket.list({ prefix, ...(cursor && { cursor }) });
    const keys = listing.objects.map((o) => o.key).filter((key) => !except(key));
    if (keys.length > 0) await bucket.delete(keys);
    cursor = listing.truncated ? listing.cursor : undefined;
  } while (cursor);
}
