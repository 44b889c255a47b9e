/**
 * The blob store port: whole objects by key, for what D1 must not hold (issue 19 §2: message bodies would fill a
 * database's fixed 10 GB). R2 in production and locally (Miniflare's R2 simulator, the same API); `r2BlobStore`
 * adapts a bucket binding. A put replaces the object under its key, so writers make keys deterministic to stay
 * idempotent. R2 allows 1 concurrent write per second to one key and publishes no per-bucket write rate
 * (developers.cloudflare.com/r2/platform/limits): keys must spread, never be one hot object.
 */
export interface BlobStore {
  put(key: string, body: string, contentType: string): Promise<void>;
  /** The object's text, or null when there is none. */
  get(key: string): Promise<string | null>;
  /** Every key under `prefix`, in key order. */
  list(prefix: string): Promise<string[]>;
  /** Every object under `prefix`, in key order, with when it was last written (ms since the epoch). */
  listUploaded(prefix: string): Promise<{ key: string; uploaded: number }[]>;
}

export function r2BlobStore(bucket: R2Bucket): BlobStore {
  return {
    async put(key, body, contentType) {
      await bucket.put(key, body, { httpMetadata: { contentType } });
    },
    async get(key) {
      const object = await bucket.get(key);
      return object ? object.text() : null;
    },
    async list(prefix) {
      return (await listUploaded(bucket, prefix)).map((object) => object.key);
    },
    listUploaded: (prefix) => listUploaded(bucket, prefix),
  };
}

async function listUploaded(bucket: R2Bucket, prefix: string): Promise<{ key: string; uploaded: number }[]> {
  const objects: { key: string; uploaded: number }[] = [];
  let cursor: string | undefined;
  do {
    // R2 returns at most 1,000 keys per call (developers.cloudflare.com/r2/api/workers/workers-api-reference).
    const page = await bucket.list({ prefix, ...(cursor && { cursor }) });
    objects.push(...page.objects.map((object) => ({ key: object.key, uploaded: object.uploaded.getTime() })));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return objects;
}
