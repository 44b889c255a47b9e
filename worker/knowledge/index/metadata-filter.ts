import type { VectorFilter, VectorFilterCondition, VectorMetadataValue } from '../../ports/vector-store.ts';

/**
 * Whether `metadata` passes `filter` with Vectorize's semantics (developers.cloudflare.com/vectorize/reference/
 * metadata-filtering): every key must hold (AND); a bare value means `$eq`; a missing key fails every operator but
 * `$ne` and `$nin`; ranges compare numbers with numbers and strings with strings only. The local store and the fake
 * Vectorize index share it, so both answer a filter the way the deployed index does.
 */
export function matchesFilter(
  metadata: Readonly<Record<string, VectorMetadataValue>>,
  filter: VectorFilter | undefined,
): boolean {
  if (!filter) return true;
  for (const key in filter) {
    const condition = filter[key];
    if (condition !== undefined && !holds(metadata[key], condition)) return false;
  }
  return true;
}

function holds(value: VectorMetadataValue | undefined, condition: VectorFilterCondition): boolean {
  if (typeof condition !== 'object') return value === condition;
  if ('$eq' in condition) return value === condition.$eq;
  if ('$ne' in condition) return value !== condition.$ne;
  if ('$in' in condition) return value !== undefined && condition.$in.includes(value);
  if ('$nin' in condition) return value === undefined || !condition.$nin.includes(value);
  if (typeof value !== 'number') return false;
  const range = condition;
  return (
    (range.$lt === undefined || value < range.$lt) &&
    (range.$lte === undefined || value <= range.$lte) &&
    (range.$gt === undefined || value > range.$gt) &&
    (range.$gte === undefined || value >= range.$gte)
  );
}
