import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { EmbedderError } from '../../../plugins/sdk/embedder.ts';
import { createApiKey } from '../../../test/api-keys.ts';
import { authed, BASE, seedDemo } from '../../../test/seed.ts';
import { database } from '../../db/client.ts';
import type { KnowledgeDocument } from '../documents/schemas.ts';
import { addDocument, loadDocument, restartIngest } from '../documents/store.ts';
import { embedTexts } from '../embed.ts';
import { knowledgeIndex } from '../index/client.ts';
import { loadCollection, refOf } from '../index/collection-ref.ts';
import type { KnowledgeIndex } from '../index/knowledge-index.ts';
import { sampleBytes } from '../parsers/fixtures.ts';
import { consumeIngest } from './consumer.ts';
import type { IngestMessage } from './messages.ts';

async function setup() {
  const demo = await seedDemo();
  const key = await createApiKey(demo.teamId, ['admin']);
  // authed() marks every body as JSON; an upload keeps its own Content-Type.
  const call = async (path: string, init: RequestInit = {}) => {
    const request = authed(key, init);
    const own = new Headers(init.headers).get('content-type');
    if (own) (request.headers as Headers).set('content-type', own);
    return SELF.fetch(`${BASE}${path}`, request);
  };
  return { teamId: demo.teamId, key, call };
}

async function createCollection(call: Awaited<ReturnType<typeof setup>>['call'], body: object = {}) {
  const res = await call('/api/v1/knowledge/collections', {
    method: 'POST',
    body: JSON.stringify({ name: 'Handbook', ...body }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** Delivers messages to the consumer as the queue would, on attempt `attempts`; returns what it acked or retried. */
async function deliver(messages: IngestMessage[], deps: Parameters<typeof consumeIngest>[2] = {}, attempts = 1) {
  const batch = createMessageBatch<unknown>(
    'parley-ingest',
    messages.map((body, i) => ({ id: `m${i}-${Math.random()}`, timestamp: new Date(), attempts, body })),
  );
  // The delay a retry asks for is not in getQueueResult: record it from the call.
  const delays: (number | undefined)[] = [];
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    Object.defineProperty(m, 'retry', {
      value: (options?: QueueRetryOptions) => {
        delays.push(options?.delaySeconds);
        retry(options);
      },
    });
  }
  const ctx = createExecutionContext();
  await consumeIngest(batch, env, deps);
  return { ...(await getQueueResult(batch, ctx)), delays };
}

/** The consumer's queue producer, recording what a step sends instead of letting the local queue run it. */
function recordingEnv() {
  const sent: IngestMessage[] = [];
  const queue = {
    send: async (body: IngestMessage) => void sent.push(body),
    sendBatch: async (items: { body: IngestMessage }[]) => void sent.push(...items.map((i) => i.body)),
  } as unknown as Queue;
  return { sent, env: { ...env, INGEST: queue } };
}

async function waitForStatus(call: Awaited<ReturnType<typeof setup>>['call'], path: string, status: string) {
  return vi.waitFor(
    async () => {
      const doc = (await (await call(path)).json()) as KnowledgeDocument;
      expect(doc.status, JSON.stringify(doc)).toBe(status);
      return doc;
    },
    { timeout: 15_000, interval: 100 },
  );
}

describe('knowledge collections and documents through the API and the parley-ingest queue', () => {
  it('creates a collection with validated settings, ingests an upload to ready, shows chunks and counts', async () => {
    const { call } = await setup();
    const bad = await call('/api/v1/knowledge/collections', {
      method: 'POST',
      body: JSON.stringify({ name: 'x', embedder: { pluginId: 'offline-embedder', model: 'nope' } }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('body.embedder.model');
    const overlap = await call('/api/v1/knowledge/collections', {
      method: 'POST',
      body: JSON.stringify({ name: 'x', chunking: { chunkTokens: 100, chunkOverlap: 60 } }),
    });
    expect(overlap.status).toBe(400);
    const id = await createCollection(call);

    const upload = await call(`/api/v1/knowledge/collections/${id}/documents?filename=metrics.md`, {
      method: 'POST',
      headers: { 'content-type': 'text/markdown' },
      body: sampleBytes('markdown').slice(),
    });
    expect(upload.status, await upload.clone().text()).toBe(201);
    const created = (await upload.json()) as KnowledgeDocument;
    expect(created).toMatchObject({ status: 'queued', format: 'markdown', title: 'metrics', source: 'upload' });
    const path = `/api/v1/knowledge/collections/${id}/documents/${created.id}`;
    const ready = await waitForStatus(call, path, 'ready');
    expect(ready.progress.chunksTotal).toBeGreaterThan(0);
    expect(ready.progress.chunksDone).toBe(ready.progress.chunksTotal);

    const collection = (await (await call(`/api/v1/knowledge/collections/${id}`)).json()) as {
      revision: number;
      documentCount: number;
      chunkCount: number;
      documents: Record<string, number>;
    };
    expect(collection.revision).toBe(ready.revision);
    expect(collection).toMatchObject({ documentCount: 1, chunkCount: ready.progress.chunksTotal });
    expect(collection.documents.ready).toBe(1);

    const chunks = (await (await call(`${path}/chunks?limit=100`)).json()) as {
      data: { context: string; text: string }[];
      total: number;
    };
    expect(chunks.total).toBe(ready.progress.chunksTotal);
    expect(chunks.data.some((c) => c.context.startsWith('Open Source Metrics › '))).toBe(true);

    // Pasted text, a document fetched by URL is refused for a file of a format Parley cannot read.
    const text = await call(`/api/v1/knowledge/collections/${id}/documents/text`, {
      method: 'POST',
      body: JSON.stringify({ title: 'Note', text: '# Hours\n\nOpen 9 to 5.' }),
    });
    expect(text.status).toBe(201);
    const unsupported = await call(`/api/v1/knowledge/collections/${id}/documents?filename=x.exe`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0x4d, 0x5a, 0, 1, 2, 3]),
    });
    expect(unsupported.status).toBe(415);

    // Another team sees none of it.
    const other = await seedDemo();
    const otherKey = await createApiKey(other.teamId, ['admin']);
    const foreign = await SELF.fetch(`${BASE}${path}`, authed(otherKey));
    expect(foreign.status).toBe(404);

    const deleted = await call(path, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await call(path)).status).toBe(404);
    const listed = await env.FILES.list({ prefix: `knowledge/${ready.collectionId ? '' : ''}` });
    expect(listed.objects.some((o) => o.key.includes(created.id))).toBe(false);
  });

  it('a file that cannot be parsed fails with a clear error while the others ingest', async () => {
    const { call } = await setup();
    const id = await createCollection(call);
    const broken = await call(`/api/v1/knowledge/collections/${id}/documents?filename=broken.pdf`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: new TextEncoder().encode('%PDF-1.7 not really a pdf'),
    });
    const good = await call(`/api/v1/knowledge/collections/${id}/documents?filename=data.csv`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: sampleBytes('csv').slice(),
    });
    const brokenDoc = (await broken.json()) as KnowledgeDocument;
    const goodDoc = (await good.json()) as KnowledgeDocument;
    const failed = await waitForStatus(call, `/api/v1/knowledge/collections/${id}/documents/${brokenDoc.id}`, 'failed');
    expect(failed.error).toMatch(/PDF/);
    await waitForStatus(call, `/api/v1/knowledge/collections/${id}/documents/${goodDoc.id}`, 'ready');
  });
});

describe('ingestion is idempotent and resumable', () => {
  async function plannedDocument() {
    const { teamId, call } = await setup();
    // Small chunks, so the document needs several embedding batches of 100.
    const id = await createCollection(call, { chunking: { chunkTokens: 50, chunkOverlap: 0 } });
    const collection = await loadCollection(database(env.DB), teamId, id);
    if (!collection) throw new Error('no collection');
    // ~30 tokens each: two never fit one 50-token chunk, so 260 chunks in three batches of at most 100.
    const text = Array.from(
      { length: 260 },
      (_, i) =>
        `Paragraph ${i} says something distinct about topic ${i}, then goes on about detail ${i} for quite a while longer than that.`,
    );
    const { row, message } = await addDocument(env, collection, {
      file: { bytes: new TextEncoder().encode(text.join('\n\n')), fileName: 'long.txt', contentType: 'text/plain' },
      source: 'upload',
    });
    return { teamId, collection, row, message, call };
  }

  it('a redelivered parse and batch, and a crash after a batch was indexed, duplicate and lose nothing', async () => {
    const { teamId, collection, row, message } = await plannedDocument();
    const recorder = recordingEnv();
    const index = knowledgeIndex(env);
    const parsed = await consumeIngest(
      createMessageBatch<unknown>('parley-ingest', [{ id: 'p1', timestamp: new Date(), attempts: 1, body: message }]),
      recorder.env as typeof env,
    );
    expect(parsed).toBeUndefined();
    const batches = recorder.sent.filter((m) => m.kind === 'embed');
    expect(batches.length).toBe(3);
    // The parse message again: the plan in R2 is reused, the same batches are sent again.
    await consumeIngest(
      createMessageBatch<unknown>('parley-ingest', [{ id: 'p2', timestamp: new Date(), attempts: 2, body: message }]),
      recorder.env as typeof env,
    );
    expect(recorder.sent.filter((m) => m.kind === 'embed')).toHaveLength(6);

    // Batch 0's chunks reach the index, then the step "crashes" before recording the batch: the queue retries it.
    const crashing: KnowledgeIndex = {
      ...index,
      addChunks: async (...args) => {
        await index.addChunks(...args);
        throw new Error('crash after the index write');
      },
    };
    const [first, second, third] = batches;
    if (!first || !second || !third) throw new Error('three batches expected');
    const crashed = await deliver([first], { index: crashing });
    expect(crashed.retryMessages).toHaveLength(1);
    const mid = await loadDocument(env, teamId, collection.id, row.id);
    expect(mid).toMatchObject({ status: 'embedding', chunksDone: 0 });
    // Nothing of the half-ingested document is visible at the collection's published revision.
    const before = await loadCollection(database(env.DB), teamId, collection.id);
    expect(before?.revision).toBeLessThan(mid?.pendingRevision ?? 0);

    // Redeliveries: batch 0 twice, batch 1 twice, then batch 2.
    for (const batch of [first, first, second, second]) expect((await deliver([batch])).retryMessages).toEqual([]);
    expect((await loadDocument(env, teamId, collection.id, row.id))?.status).toBe('embedding');
    await deliver([third]);
    const done = await loadDocument(env, teamId, collection.id, row.id);
    expect(done).toMatchObject({ status: 'ready', pendingRevision: null });
    expect(done?.chunksDone).toBe(done?.chunksTotal);
    const listed = await index.listChunks(refOf(collection), row.id, { offset: 0, limit: 1000 });
    expect(listed.total).toBe(done?.chunksTotal);
    expect(new Set(listed.chunks.map((c) => c.chunkKey)).size).toBe(listed.total);
    expect(listed.chunks.every((c) => c.retiredRevision === undefined)).toBe(true);
    const after = await loadCollection(database(env.DB), teamId, collection.id);
    expect(after?.revision).toBe(done?.revision);
    expect(after?.chunkCount).toBe(done?.chunksTotal);

    // A stale message of that finished attempt changes nothing.
    await deliver([first, message]);
    expect((await index.listChunks(refOf(collection), row.id, { offset: 0, limit: 1 })).total).toBe(listed.total);

    // Re-indexing unchanged content embeds nothing: every chunk is reused.
    const again = await restartIngest(env, collection, done ?? row);
    const reEnv = recordingEnv();
    await consumeIngest(
      createMessageBatch<unknown>('parley-ingest', [
        { id: 'r1', timestamp: new Date(), attempts: 1, body: again.message },
      ]),
      reEnv.env as typeof env,
    );
    expect(reEnv.sent).toEqual([]);
    const reindexed = await loadDocument(env, teamId, collection.id, row.id);
    expect(reindexed).toMatchObject({ status: 'ready', chunksReused: listed.total, chunksDone: listed.total });
  });

  it('a rate-limited embedder slows ingestion down (retry with Retry-After); a rejected one fails the document', async () => {
    const { teamId, collection, row, message } = await plannedDocument();
    const recorder = recordingEnv();
    await consumeIngest(
      createMessageBatch<unknown>('parley-ingest', [{ id: 'p', timestamp: new Date(), attempts: 1, body: message }]),
      recorder.env as typeof env,
    );
    const [first] = recorder.sent;
    if (!first) throw new Error('no batch');
    const limited = await deliver([first], {
      embed: async () => {
        throw new EmbedderError('429 Too Many Requests', true, 30_000);
      },
    });
    expect(limited.retryMessages).toHaveLength(1);
    expect(limited.delays).toEqual([30]);
    expect((await loadDocument(env, teamId, collection.id, row.id))?.status).toBe('embedding');

    const rejected = await deliver([first], {
      embed: async () => {
        throw new EmbedderError('401 invalid API key');
      },
    });
    expect(rejected.retryMessages).toEqual([]);
    const failed = await loadDocument(env, teamId, collection.id, row.id);
    expect(failed).toMatchObject({ status: 'failed', pendingRevision: null });
    expect(failed?.error).toContain('401 invalid API key');
    // Its collection's revision moved past it, so later documents are not held back.
    expect((await loadCollection(database(env.DB), teamId, collection.id))?.revision).toBeGreaterThanOrEqual(
      row.pendingRevision ?? 0,
    );
    expect(embedTexts).toBeTypeOf('function');
  });
});
