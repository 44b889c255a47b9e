/// <reference types="node" />
/**
 * Knowledge smoke under a real `wrangler dev` (e2e/harness.ts). Unlike vitest's pool, wrangler dev refuses `eval`
 * and `new Function` as production does, so this is where the libraries ingestion runs on prove they work in a
 * Worker: unpdf (PDF), mammoth (DOCX), node-html-markdown (HTML), fflate (XLSX, PPTX), the local `parley-ingest`
 * queue consumer, the KnowledgeDO's FTS5 and vector index, and the `openai` SDK's embeddings call against the fake
 * OpenAI embeddings API (plugins/embedders/openai/fake/server.ts, started here on 127.0.0.1).
 * The last step is the user's view: a published pipeline chatbot that retrieves from a collection answers in the widget
 * (headless Chromium, e2e/browser.ts) with numbered references and a download link of a file marked public.
 * Usage: `tsx e2e/knowledge.e2e.ts` (part of `npm run test:e2e`; needs /usr/bin/chromium or CHROMIUM_PATH).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { start as startFakeEmbeddings } from '../plugins/embedders/openai/fake/server.ts';
import { root } from '../scripts/build-ui.ts';
import { launch, newContext } from './browser.ts';
import { startHarness } from './harness.ts';
import { stepRunner } from './steps.ts';

const harness = await startHarness();
const { step, tally } = stepRunner();
const FIXTURES = new URL('../test/fixtures/knowledge/', import.meta.url);
/** Ingestion runs on the local queue: a few seconds per document on a loaded 2-core machine. */
const READY_TIMEOUT_MS = 90_000;

interface DocumentView {
  id: string;
  title: string;
  status: string;
  error: string | null;
  progress: { chunksDone: number; chunksTotal: number };
}
interface SearchHit {
  documentId: string;
  documentTitle: string;
  text: string;
  score: number;
  page?: number;
}

async function api<T>(method: string, path: string, body?: unknown, type = 'application/json'): Promise<T> {
  const payload = type === 'application/json' ? JSON.stringify(body) : new Blob([body as Uint8Array<ArrayBuffer>]);
  const res = await fetch(`${harness.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': type, accept: 'application/json' },
    ...(body !== undefined && { body: payload }),
  });
  const text = await res.text();
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

async function waitReady(collectionId: string, documentId: string): Promise<DocumentView> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const doc = await api<DocumentView>('GET', `/api/v1/knowledge/collections/${collectionId}/documents/${documentId}`);
    if (doc.status === 'ready' || doc.status === 'failed') return doc;
    if (Date.now() > deadline) throw new Error(`${doc.title} is still ${doc.status} after ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function search(collectionId: string, query: string): Promise<SearchHit[]> {
  const { hits } = await api<{ hits: SearchHit[] }>('POST', `/api/v1/knowledge/collections/${collectionId}/search`, {
    query,
    topK: 5,
  });
  return hits;
}

/** Each fixture, the content type an upload would carry, and a phrase its text is known to contain. */
const FILES = [
  { file: 'repair-estimates-multipage.pdf', type: 'application/pdf' },
  {
    file: 'hidden-forest-story.docx',
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  { file: 'luajit-ext_profiler.html', type: 'text/html' },
  { file: 'customers-100.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  { file: 'autogen-slides.pptx', type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
  { file: 'co2-mm-mlo.csv', type: 'text/csv' },
  { file: 'opensource-guide-metrics.md', type: 'text/markdown' },
];

let offlineCollection = '';
const uploaded = new Map<string, string>();

await step('every format is parsed by its library inside wrangler dev (no eval) and indexed', async () => {
  ({ id: offlineCollection } = await api<{ id: string }>('POST', '/api/v1/knowledge/collections', {
    name: 'e2e formats',
    description: 'one document per supported format',
  }));
  for (const { file, type } of FILES) {
    const bytes = await readFile(new URL(file, FIXTURES));
    const doc = await api<{ id: string }>(
      'POST',
      `/api/v1/knowledge/collections/${offlineCollection}/documents?filename=${encodeURIComponent(file)}`,
      new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      type,
    );
    uploaded.set(file, doc.id);
  }
  for (const [file, id] of uploaded) {
    const doc = await waitReady(offlineCollection, id);
    assert.equal(doc.status, 'ready', `${file}: ${doc.status} ${doc.error ?? ''}`);
    assert.ok(doc.progress.chunksTotal > 0, `${file} has chunks`);
    assert.equal(doc.progress.chunksDone, doc.progress.chunksTotal, `${file} is fully embedded`);
  }
});

await step('hybrid search finds text that only the parsed files contain', async () => {
  const { data } = await api<{ data: { id: string; progress: unknown }[] }>(
    'GET',
    `/api/v1/knowledge/collections/${offlineCollection}/documents`,
  );
  assert.equal(data.length, FILES.length);
  // Each probe comes from a different parser's output: the hit must be in the document of that format.
  for (const file of ['hidden-forest-story.docx', 'repair-estimates-multipage.pdf', 'customers-100.xlsx']) {
    const { data: chunks } = await api<{ data: { text: string }[] }>(
      'GET',
      `/api/v1/knowledge/collections/${offlineCollection}/documents/${uploaded.get(file)}/chunks`,
    );
    const sample =
      chunks[0]?.text
        .split(/\s+/)
        .filter((w) => w.length > 4)
        .slice(0, 6)
        .join(' ') ?? '';
    assert.ok(sample.length > 0, `${file} has a chunk with words`);
    const hits = await search(offlineCollection, sample);
    assert.equal(hits[0]?.documentId, uploaded.get(file), `"${sample}" → ${JSON.stringify(hits[0])}`);
  }
});

await step('a collection embedded by openai-embeddings (official SDK → fake API) ingests and answers', async () => {
  const fake = await startFakeEmbeddings();
  try {
    await api('POST', '/api/v1/plugin-configs', {
      pluginId: 'openai-embeddings',
      settings: { apiKey: 'test-key', baseUrl: fake.url },
    });
    const { id } = await api<{ id: string }>('POST', '/api/v1/knowledge/collections', {
      name: 'e2e openai',
      embedder: { pluginId: 'openai-embeddings', model: 'text-embedding-3-small@1024' },
    });
    const doc = await api<{ id: string }>('POST', `/api/v1/knowledge/collections/${id}/documents/text`, {
      title: 'Returns policy',
      format: 'markdown',
      text: '# Returns\n\nItems can be returned within 30 days with the receipt.\n\n# Shipping\n\nWe ship worldwide.',
    });
    assert.equal((await waitReady(id, doc.id)).status, 'ready');
    const hits = await search(id, 'returned within 30 days');
    assert.match(hits[0]?.text ?? '', /returned within 30 days/);
    const log = (await (await fetch(`${fake.url}/__requests`)).json()) as { model: string }[];
    assert.ok(log.length >= 2, 'the document and the query were embedded through the fake API');
  } finally {
    await fake.close();
  }
});

await step('the widget shows a retrieving chatbot’s numbered sources, and a public file downloads', async () => {
  const { id: collectionId } = await api<{ id: string }>('POST', '/api/v1/knowledge/collections', {
    name: 'e2e citations',
    description: 'router manuals',
  });
  const manual = await api<{ id: string }>('POST', `/api/v1/knowledge/collections/${collectionId}/documents/text`, {
    title: 'Router manual',
    format: 'markdown',
    text: '# Reset\n\nTo reset the router, hold the reset button for ten seconds until the light blinks.',
  });
  assert.equal((await waitReady(collectionId, manual.id)).status, 'ready');
  await api('PATCH', `/api/v1/knowledge/collections/${collectionId}/documents/${manual.id}`, { public: true });
  const llm = {
    providerId: 'offline',
    credentialId: null,
    model: 'offline-echo',
    systemPrompt: '',
    parameters: {},
    tools: [],
    maxToolSteps: 1,
    prompt: '{{input}}',
    history: { mode: 'none' },
  };
  const bot = await api<{ id: string }>('POST', '/api/v1/chatbots', {
    name: 'Router help (e2e citations)',
    definition: {
      schemaVersion: 2,
      nodes: [
        { id: 'start', kind: 'start', settings: {} },
        { id: 'search', kind: 'knowledge_retrieval', settings: { collectionIds: [collectionId], topK: 2 } },
        { id: 'answer', kind: 'llm', settings: llm },
        { id: 'end', kind: 'end', settings: {} },
      ],
      edges: [
        { from: 'start', to: 'search' },
        { from: 'search', to: 'answer' },
        { from: 'answer', to: 'end' },
      ],
      settings: { burstPolicy: 'queue', welcomeMessage: '', starterQuestions: [] },
    },
  });
  await api('POST', `/api/v1/chatbots/${bot.id}/versions`, { note: 'e2e citations' });
  const key = await api<{ key: string }>('POST', `/api/v1/chatbots/${bot.id}/widget-keys`, {
    allowedOrigins: [harness.host, harness.api],
  });

  const browser = await launch();
  try {
    const page = await (await newContext(browser)).newPage();
    const w = (selector: string) => page.locator(`parley-widget ${selector}`);
    await page.goto(`${harness.host}/?key=${encodeURIComponent(key.key)}`);
    await w('.launcher').click();
    await w('textarea').fill('How do I reset the router?');
    await page.keyboard.press('Enter');
    await w('.m.bot:last-child .srcs li').first().waitFor({ timeout: 30_000 });
    const items = await w('.m.bot:last-child .srcs li').allTextContents();
    assert.deepEqual(items, ['Router manual']);
    // The reply's [1] marker became a superscript link to the same source.
    assert.ok((await w('.m.bot:last-child sup.ref a').count()) >= 1, 'a [n] marker links to its source');
    const href = await w('.m.bot:last-child .srcs li a').first().getAttribute('href');
    assert.ok(href?.includes('/api/v1/knowledge/public-files/'), `download link: ${href}`);
    const download = await fetch(new URL(href as string, harness.api));
    assert.equal(download.status, 200);
    assert.match(await download.text(), /hold the reset button/);
    await w('.m.bot:last-child').scrollIntoViewIfNeeded();
    await page.screenshot({ path: resolve(root, 'docs/screenshots/widget-citations.png') });
    // Made private again, the same link no longer opens.
    await api('PATCH', `/api/v1/knowledge/collections/${collectionId}/documents/${manual.id}`, { public: false });
    assert.equal((await fetch(new URL(href as string, harness.api))).status, 404);
  } finally {
    await browser.close();
  }
});

await harness.stop();
console.log(`\n${tally.passed} passed, ${tally.failed} failed`);
if (tally.failed > 0) process.exitCode = 1;
