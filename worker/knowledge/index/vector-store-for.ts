import type { Env } from '../../env.ts';
import type { VectorStore } from '../../ports/vector-store.ts';
import { LocalVectorStore } from './local-vector-store.ts';
import { type VectorizeBinding, VectorizeStore } from './vectorize-store.ts';

/** The Vectorize index bound for `dimensions` (an index's dimensions are fixed when it is created), if any. */
export function vectorizeIndexFor(env: Env, dimensions: number): VectorizeBinding | undefined {
  if (dimensions === 768) return env.VECTORIZE_768;
  if (dimensions === 1024) return env.VECTORIZE_1024;
  if (dimensions === 1536) return env.VECTORIZE_1536;
  return undefined;
}

/**
 * Where a collection's vectors live: the Vectorize index for its dimensions when the deployment binds one, else the
 * KnowledgeDO's own SQLite (local development, tests, and deployments without Vectorize).
 */
export function vectorStoreFor(env: Env, sql: SqlStorage, dimensions: number): VectorStore {
  const index = vectorizeIndexFor(env, dimensions);
  return index ? new VectorizeStore(index) : new LocalVectorStore(sql);
}
