import type { Env } from '../../env.ts';
import type { CollectionRef, KnowledgeIndex } from './knowledge-index.ts';

/** The collection's KnowledgeDO, one per team × collection. The cast names the RPC surface (Env types no class). */
export function knowledgeStub(env: Env, ref: Pick<CollectionRef, 'teamId' | 'collectionId'>): KnowledgeIndex {
  const name = `${ref.teamId}:${ref.collectionId}`;
  return env.KNOWLEDGE.get(env.KNOWLEDGE.idFromName(name)) as unknown as KnowledgeIndex;
}

/** The knowledge index over RPC: each call goes to the object of the collection its `ref` names. */
export function knowledgeIndex(env: Env): KnowledgeIndex {
  return {
    liveChunkKeys: (ref, documentId) => knowledgeStub(env, ref).liveChunkKeys(ref, documentId),
    addChunks: (ref, revision, chunks) => knowledgeStub(env, ref).addChunks(ref, revision, chunks),
    retireChunks: (ref, revision, documentId, keep) =>
      knowledgeStub(env, ref).retireChunks(ref, revision, documentId, keep),
    moveChunks: (ref, documentId, positions) => knowledgeStub(env, ref).moveChunks(ref, documentId, positions),
    search: (ref, query) => knowledgeStub(env, ref).search(ref, query),
    listChunks: (ref, documentId, page) => knowledgeStub(env, ref).listChunks(ref, documentId, page),
    publishRevision: (ref, revision) => knowledgeStub(env, ref).publishRevision(ref, revision),
    publishedRevision: (ref) => knowledgeStub(env, ref).publishedRevision(ref),
    setDocumentInfo: (ref, info) => knowledgeStub(env, ref).setDocumentInfo(ref, info),
    prune: (ref, keepFrom) => knowledgeStub(env, ref).prune(ref, keepFrom),
    deleteAll: (ref) => knowledgeStub(env, ref).deleteAll(ref),
  };
}
