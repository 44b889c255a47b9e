import type { CollectionReranker } from '../../db/schema/knowledge.ts';
import type { EmbedderRef } from '../index/knowledge-index.ts';

/**
 * What a chatbot version knows of each collection it references, frozen when it is published (D1
 * `chatbot_versions.knowledge`, copied into the conversation's object with the definition): a turn searches with no
 * D1 read. `revision` is the collection's published revision at publish time: `pinned` searches use it, `latest`
 * searches ask the collection's KnowledgeDO for its current published revision.
 */
export interface KnowledgePin {
  collectionId: string;
  name: string;
  summary: string;
  revision: number;
  embedder: EmbedderRef;
  fetchK: number;
  denseWeight: number;
  rrfK: number;
  /** The collection's re-ranker at publish (absent: none; pins written before re-ranking existed have none). */
  reranker?: CollectionReranker;
}

/** The pins of one version, by collection id. Drafts have none: their turns resolve collections at latest. */
export type KnowledgePins = Record<string, KnowledgePin>;

/** The conversation object's meta key the pins are stored under (next to `definition`). */
export const KNOWLEDGE_PINS_META_KEY = 'knowledge';
