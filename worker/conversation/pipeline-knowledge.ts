import { and, eq, inArray } from 'drizzle-orm';
import { EmbedderError } from '../../plugins/sdk/embedder.ts';
import { NodeError } from '../../plugins/sdk/node/kind.ts';
import type {
  KnowledgeCollectionInfo,
  KnowledgeSearchRequest,
  NodeKnowledge,
  RetrievedChunk,
} from '../../plugins/sdk/node/services.ts';
import { database } from '../db/client.ts';
import { knowledgeDocuments } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { publicFileUrl } from '../knowledge/documents/public-link.ts';
import { EmbedderUnavailable, embedTexts } from '../knowledge/embed.ts';
import { knowledgeIndex } from '../knowledge/index/client.ts';
import { loadCollection, refOf } from '../knowledge/index/collection-ref.ts';
import type { CollectionRef, SearchHit } from '../knowledge/index/knowledge-index.ts';
import type { KnowledgePins } from '../knowledge/pins/types.ts';

/** A chunk this run retrieved, with where a reader can open its source (for the reply's citations). */
export interface CitableChunk {
  chunk: RetrievedChunk;
  url?: string;
}

export interface RunKnowledgeHost {
  env: Env;
  /** The conversation's team: every collection is addressed under it, whatever a pin or a setting says. */
  teamId: string;
  /** The collection ids the chatbot version (or the sampled node) references: any other is refused. */
  referenced: Iterable<string>;
  /** The version's pins (conversation meta); absent for drafts, the test chat and sample runs. */
  pins?: KnowledgePins | undefined;
}

interface ResolvedCollection {
  info: KnowledgeCollectionInfo;
  ref: CollectionRef;
  fetchK: number;
  denseWeight: number;
  rrfK: number;
  /** The revision a `pinned` search reads. */
  pinned: number;
  /** The revision a `latest` search reads; undefined: omitted, the KnowledgeDO's published one. */
  latest: number | undefined;
}

type Hit = SearchHit & { collectionId: string };

const embedderKey = (ref: CollectionRef) => `${ref.embedder.pluginId}\u0000${ref.embedder.model}`;

/**
 * The knowledge service of one run (NodeServices.knowledge). Collections come from the version's pins, else from D1
 * at their published revision, each resolved once per run. A query is embedded once per distinct embedder; each
 * collection is searched in its own KnowledgeDO with its fusion settings and the hits are merged by score. Chunks are
 * numbered run-wide (the same chunk of the same collection keeps its number) and remembered for the citations.
 */
export class RunKnowledge implements NodeKnowledge {
  private readonly referenced: ReadonlySet<string>;
  private readonly resolved = new Map<string, Promise<ResolvedCollection>>();
  private readonly numbered = new Map<string, CitableChunk>();

  constructor(private readonly host: RunKnowledgeHost) {
    this.referenced = new Set([...host.referenced, ...Object.keys(host.pins ?? {})]);
  }

  /** Every chunk the run retrieved, by citation number. */
  retrieved(): ReadonlyMap<number, CitableChunk> {
    return new Map([...this.numbered.values()].map((entry) => [entry.chunk.n, entry]));
  }

  async collections(): Promise<KnowledgeCollectionInfo[]> {
    const all = await Promise.all([...this.referenced].map((id) => this.resolve(id).catch(() => null)));
    return all.flatMap((collection) => (collection ? [collection.info] : []));
  }

  async search(request: KnowledgeSearchRequest): Promise<RetrievedChunk[]> {
    const ids = [...new Set(request.collectionIds)];
    const collections = await Promise.all(ids.map((id) => this.resolve(id)));
    const vectors = await this.embed(collections, request);
    const found = await Promise.all(
      collections.map(async (collection): Promise<Hit[]> => {
        const revision = request.revision === 'latest' ? collection.latest : collection.pinned;
        const hits = await knowledgeIndex(this.host.env).search(collection.ref, {
          text: request.query,
          vector: vectors.get(embedderKey(collection.ref)) ?? new Float32Array(collection.ref.embedder.dimensions),
          topK: request.topK,
          fetchK: Math.max(collection.fetchK, request.topK),
          denseWeight: collection.denseWeight,
          rrfK: collection.rrfK,
          mode: request.mode,
          ...(revision !== undefined && { revision }),
          ...(request.documentIds && { documentIds: request.documentIds }),
        });
        return hits.map((hit) => ({ ...hit, collectionId: collection.ref.collectionId }));
      }),
    );
    const merged = found
      .flat()
      .sort((a, b) => b.score - a.score)
      .slice(0, request.topK);
    const documents = await this.documentsOf(merged);
    const chunks: RetrievedChunk[] = [];
    for (const hit of merged) {
      const document = documents.get(hit.documentId);
      const key = `${hit.collectionId}\u0000${hit.chunkKey}`;
      const known = this.numbered.get(key);
      const n = known?.chunk.n ?? this.numbered.size + 1;
      const chunk: RetrievedChunk = {
        n,
        collectionId: hit.collectionId,
        documentId: hit.documentId,
        documentTitle: hit.documentTitle ?? document?.title ?? hit.documentId,
        chunkKey: hit.chunkKey,
        ordinal: hit.ordinal,
        text: hit.text,
        context: hit.context,
        ...(hit.page !== undefined && { page: hit.page }),
        score: hit.score,
      };
      if (!known) {
        const sourceUrl = hit.sourceUrl ?? document?.sourceUrl ?? undefined;
        const isPublic = hit.public ?? document?.public ?? false;
        const url =
          sourceUrl ?? (isPublic ? await publicFileUrl(this.host.env, this.host.teamId, hit.documentId) : undefined);
        this.numbered.set(key, { chunk, ...(url !== undefined && { url }) });
      }
      chunks.push(chunk);
    }
    return chunks;
  }

  private resolve(collectionId: string): Promise<ResolvedCollection> {
    if (!this.referenced.has(collectionId)) {
      return Promise.reject(new NodeError(`collection "${collectionId}" is not one this chatbot references`));
    }
    let resolved = this.resolved.get(collectionId);
    if (!resolved) {
      resolved = this.load(collectionId);
      this.resolved.set(collectionId, resolved);
    }
    return resolved;
  }

  private async load(collectionId: string): Promise<ResolvedCollection> {
    const { env, teamId, pins } = this.host;
    const pin = pins?.[collectionId];
    if (pin) {
      return {
        info: { collectionId, name: pin.name, summary: pin.summary },
        // The team is the conversation's, never the pin's: a pin cannot point a search at another team's object.
        ref: { teamId, collectionId, embedder: pin.embedder },
        fetchK: pin.fetchK,
        denseWeight: pin.denseWeight,
        rrfK: pin.rrfK,
        pinned: pin.revision,
        latest: undefined,
      };
    }
    // Scoped by team: another team's collection id reads as missing.
    const row = await loadCollection(database(env.DB), teamId, collectionId);
    if (!row) throw new NodeError(`collection "${collectionId}" does not exist in this team`);
    return {
      info: { collectionId, name: row.name, summary: row.description },
      ref: refOf(row),
      fetchK: row.fetchK,
      denseWeight: row.denseWeight,
      rrfK: row.rrfK,
      // Unpinned (drafts, the test chat): both read the published revision as of this run.
      pinned: row.revision,
      latest: row.revision,
    };
  }

  /** The query's vector for each distinct embedder of the collections (none in keyword mode). */
  private async embed(
    collections: readonly ResolvedCollection[],
    request: KnowledgeSearchRequest,
  ): Promise<Map<string, Float32Array>> {
    const vectors = new Map<string, Float32Array>();
    if (request.mode === 'keyword') return vectors;
    const byEmbedder = new Map(collections.map((collection) => [embedderKey(collection.ref), collection.ref]));
    await Promise.all(
      [...byEmbedder].map(async ([key, ref]) => {
        try {
          const signal = request.signal ?? AbortSignal.timeout(30_000);
          const result = await embedTexts(
            this.host.env,
            this.host.teamId,
            ref.embedder,
            [request.query],
            'query',
            signal,
          );
          if (result.vectors[0]) vectors.set(key, result.vectors[0]);
        } catch (error) {
          if (error instanceof EmbedderUnavailable) throw new NodeError(`knowledge search: ${error.message}`);
          if (error instanceof EmbedderError)
            throw new NodeError(`knowledge search: ${error.message}`, error.retryable);
          throw error;
        }
      }),
    );
    return vectors;
  }

  /** Titles and links of the hits' documents, in one D1 query scoped by team (only for hits that lack them). */
  private async documentsOf(
    hits: readonly Hit[],
  ): Promise<Map<string, { title: string; sourceUrl: string | null; public: boolean }>> {
    const ids = [...new Set(hits.filter((hit) => hit.documentTitle === undefined).map((hit) => hit.documentId))];
    if (ids.length === 0) return new Map();
    const rows = await database(this.host.env.DB)
      .select({
        id: knowledgeDocuments.id,
        title: knowledgeDocuments.title,
        sourceUrl: knowledgeDocuments.sourceUrl,
        public: knowledgeDocuments.public,
      })
      .from(knowledgeDocuments)
      .where(and(eq(knowledgeDocuments.teamId, this.host.teamId), inArray(knowledgeDocuments.id, ids)));
    return new Map(rows.map((row) => [row.id, row]));
  }
}
