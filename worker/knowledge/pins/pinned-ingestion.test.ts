import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { createApiKey } from '../../../test/api-keys.ts';
import { authed, BASE, seedDemo } from '../../../test/seed.ts';
import { findChatbot } from '../../chatbots/store.ts';
import { definitionWith } from '../../chatbots/testing.ts';
import { publishDraft } from '../../chatbots/versions.ts';
import { database } from '../../db/client.ts';
import { chatbotVersions, knowledgeDocuments } from '../../db/schema/index.ts';
import type { AnyDefinition } from '../../pipelines/definition.ts';
import { collectionPrefix } from '../collections/storage-keys.ts';
import type { KnowledgeDocument } from '../documents/schemas.ts';
import { knowledgeIndex } from '../index/client.ts';
import { loadCollection, refOf } from '../index/collection-ref.ts';
import type { KnowledgeDO } from '../index/knowledge-do.ts';
import type { SearchResult } from '../search/schemas.ts';
import { computePins } from './compute.ts';

/** Through the API and the local parley-ingest queue, as an admin would: no step of ingestion is called directly. */
async function setup() {
  const demo = await seedDemo();
  const key = await createApiKey(demo.teamId, ['admin']);
  const call = async (path: string, init: RequestInit = {}) => {
    const request = authed(key, init);
    const own = new Headers(init.headers).get('content-type');
    if (own) (request.headers as Headers).set('content-type', own);
    return SELF.fetch(`${BASE}${path}`, request);
  };
  const created = await call('/api/v1/knowledge/collections', {
    method: 'POST',
    body: JSON.stringify({ name: 'Hours', description: 'Opening hours' }),
  });
  expect(created.status).toBe(201);
  const collectionId = ((await created.json()) as { id: string }).id;
  const documents = `/api/v1/knowledge/collections/${collectionId}/documents`;
  const ready = (documentId: string, revisionAbove = 0) =>
    vi.waitFor(
      async () => {
        const doc = (await (await call(`${documents}/${documentId}`)).json()) as KnowledgeDocument;
        expect(doc.status, JSON.stringify(doc)).toBe('ready');
        expect(doc.revision ?? 0).toBeGreaterThan(revisionAbove);
        return doc;
      },
      { timeout: 20_000, interval: 100 },
    );
  const addText = async (title: string, text: string) => {
    const res = await call(`${documents}/text`, { method: 'POST', body: JSON.stringify({ title, text }) });
    expect(res.status).toBe(201);
    return ready(((await res.json()) as { id: string }).id);
  };
  const search = async (query: string, revision?: number) => {
    const res = await call(`/api/v1/knowledge/collections/${collectionId}/search`, {
      method: 'POST',
      body: JSON.stringify({ query, mode: 'keyword', ...(revision !== undefined && { revision }) }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as SearchResult;
  };
  return { ...demo, key, call, collectionId, documents, ready, addText, search };
}

const stubOf = (teamId: string, collectionId: string) =>
  env.KNOWLEDGE.get(env.KNOWLEDGE.idFromName(`${teamId}:${collectionId}`)) as DurableObjectStub<KnowledgeDO>;

describe('a pinned chatbot version and a re-indexed collection', () => {
  it('keeps answering from the old chunks while latest sees the new; the old go once no version pins them', async () => {
    const t = await setup();
    const doc = await t.addText('Hours', 'We open at nine in the morning.');
    const pinned = doc.revision ?? 0;
    const db = database(env.DB);
    const chatbot = await findChatbot(db, t.teamId, t.chatbotId);
    const { pins } = await computePins(db, t.teamId, [t.collectionId]);
    expect(pins[t.collectionId]?.revision).toBe(pinned);
    const version = await publishDraft(db, chatbot, 'pinned', definitionWith() as AnyDefinition, pins);

    // The file is replaced: a new revision, published by ingestion.
    const replaced = await t.call(`${t.documents}/${doc.id}/file?filename=hours.txt`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'We open at ten in the morning.',
    });
    expect(replaced.status).toBe(202);
    const latest = await t.ready(doc.id, pinned);

    const atPin = await t.search('nine', pinned);
    expect(atPin.hits.map((hit) => hit.documentId)).toEqual([doc.id]);
    // The title comes from the collection's object (ingestion wrote it), not a D1 join.
    expect(atPin.hits[0]).toMatchObject({ documentTitle: 'Hours', public: false });
    expect((await t.search('nine')).hits).toEqual([]);
    expect((await t.search('ten')).revision).toBe(latest.revision);
    expect((await t.search('ten')).hits.map((hit) => hit.documentId)).toEqual([doc.id]);
    // The KnowledgeDO itself knows the published revision: a search without one is the latest published.
    const collection = await loadCollection(db, t.teamId, t.collectionId);
    if (!collection) throw new Error('no collection');
    expect(await knowledgeIndex(env).publishedRevision(refOf(collection))).toBe(latest.revision);
    const retiredRows = async () =>
      (await knowledgeIndex(env).listChunks(refOf(collection), doc.id, { offset: 0, limit: 100 })).chunks.filter(
        (chunk) => chunk.retiredRevision !== undefined,
      );
    // Ingestion pruned after publishing, but the version's pin keeps the old chunk.
    expect(await retiredRows()).toHaveLength(1);

    // The version goes; the next publish (another document) prunes what only it needed.
    await db
      .delete(chatbotVersions)
      .where(and(eq(chatbotVersions.id, version?.id ?? ''), eq(chatbotVersions.teamId, t.teamId)));
    await t.addText('Address', 'Main street one.');
    // The prune runs after the publish that addText waits for, in the collection's object: poll, don't race it.
    await vi.waitFor(async () => expect(await retiredRows()).toEqual([]), { timeout: 10_000, interval: 100 });
    expect((await t.search('nine', pinned)).hits).toEqual([]);
  });

  it('a renamed document made public shows so in search hits at once (written to the object, no D1 join)', async () => {
    const t = await setup();
    const doc = await t.addText('Hours', 'We open at nine in the morning.');
    const patched = await t.call(`${t.documents}/${doc.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ title: 'Opening hours', public: true }),
    });
    expect(patched.status).toBe(200);
    const [hit] = (await t.search('nine')).hits;
    expect(hit).toMatchObject({ documentId: doc.id, documentTitle: 'Opening hours', public: true });
    // Re-indexing keeps what the admin set (ingestion writes the document's current row).
    const reindexed = await t.call(`${t.documents}/${doc.id}/reindex`, { method: 'POST' });
    expect(reindexed.status).toBe(202);
    await t.ready(doc.id, doc.revision ?? 0);
    expect((await t.search('nine')).hits[0]).toMatchObject({ documentTitle: 'Opening hours', public: true });
  });

  it('deleting the collection removes its object storage, its files and its rows', async () => {
    const t = await setup();
    const doc = await t.addText('Hours', 'We open at nine in the morning.');
    const prefix = collectionPrefix(t.teamId, t.collectionId);
    expect((await env.FILES.list({ prefix })).objects.length).toBeGreaterThan(0);
    const deleted = await t.call(`/api/v1/knowledge/collections/${t.collectionId}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await env.FILES.list({ prefix })).objects).toEqual([]);
    const tables = await runInDurableObject(stubOf(t.teamId, t.collectionId), (_i, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").one(),
    );
    expect(tables.n).toBe(0);
    const rows = await database(env.DB)
      .select({ id: knowledgeDocuments.id })
      .from(knowledgeDocuments)
      .where(eq(knowledgeDocuments.id, doc.id));
    expect(rows).toEqual([]);
    expect((await t.call(`/api/v1/knowledge/collections/${t.collectionId}`)).status).toBe(404);
  });
});
