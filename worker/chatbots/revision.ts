import { ApiError } from '../http/errors.ts';
import type { AnyDefinition } from '../pipelines/definition.ts';

/**
 * The draft's version token for concurrent editors: a hash of its stored definition, so it needs no column and
 * changes exactly when the content does (an edit undone by another gives the same token back, which is harmless:
 * the content is the same). FNV-1a over the JSON, two 32-bit lanes: a concurrency token, not a security boundary.
 */
export function definitionRevision(definition: AnyDefinition): string {
  const text = JSON.stringify(definition);
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995) ^ (b >>> 15);
  }
  return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`;
}

/** `"abc"`, `W/"abc"` or a bare token → `abc`; `*` (any) and nothing → null. */
export function parseIfMatch(header: string | undefined): string | null {
  const value = header?.trim();
  if (!value || value === '*') return null;
  return value.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/** The ETag header value for a revision. */
export const etag = (revision: string) => `"${revision}"`;

/**
 * 409 when the editor's revision (If-Match, or the body's `revision`) is not the draft's current one. Without
 * either, the last write wins, as before the token existed.
 */
export function assertRevision(expected: string | null, current: AnyDefinition | null): void {
  if (expected === null) return;
  const revision = current ? definitionRevision(current) : '';
  if (expected !== revision) {
    throw new ApiError(
      409,
      'draft_conflict',
      'The draft changed since you read it; reload it, merge your changes and send them with its current revision',
      { revision },
    );
  }
}
