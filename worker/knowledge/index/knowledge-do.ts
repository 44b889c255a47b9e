import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../../env.ts';

/**
 * One knowledge collection's index (worker/knowledge/index/knowledge-index.ts): chunks, FTS5 and the local vectors.
 * Placeholder until the knowledge index lands.
 */
export class KnowledgeDO extends DurableObject<Env> {}
