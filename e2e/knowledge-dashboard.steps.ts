/// <reference types="node" />
/**
 * The dashboard's Knowledge section end to end (issue 16 §7, §2): an admin creates a collection, drops a Markdown file
 * on the drop zone (a real `drop` event carrying a DataTransfer), picks a PDF through the zone's file input, sees an
 * over-limit file refused before upload, watches both documents' progress reach Ready while the table polls, opens a
 * document's chunks, and runs a query preview whose hits show dense, keyword and fused scores. Saves
 * docs/screenshots/knowledge-*.png; each view is checked by axe (e2e/a11y.ts) through `shot`.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { root } from '../scripts/build-ui.ts';
import { recordAccessibility } from './a11y.ts';
import { settled } from './dashboard-views.steps.ts';
import type { Step } from './steps.ts';

const FIXTURES = resolve(root, 'test/fixtures/knowledge');
/** Ingestion runs on the local queue: a few seconds per document on a loaded 2-core machine (e2e/knowledge.e2e.ts). */
const READY_TIMEOUT_MS = 90_000;

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await settled(page);
  await page.screenshot({ path: resolve(root, `docs/screenshots/knowledge-${name}.png`), fullPage });
  await recordAccessibility(page, `knowledge: ${name}`);
}

/** Drops files on the drop zone as a browser does: dragenter, dragover, drop, with the files in a DataTransfer. */
async function dropFiles(page: Page, files: { name: string; type: string; text?: string; size?: number }[]) {
  await page.locator('.drop-zone').evaluate((zone, list) => {
    const transfer = new DataTransfer();
    for (const file of list) {
      const body = file.text ?? new Uint8Array(file.size ?? 0);
      transfer.items.add(new File([body], file.name, { type: file.type }));
    }
    for (const type of ['dragenter', 'dragover', 'drop'])
      zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
  }, files);
}

export async function knowledgeDashboardSteps(page: Page, dashboard: string, step: Step) {
  let collectionUrl = '';

  await step('knowledge: creates a collection with the offline embedder and default chunking', async () => {
    await page.goto(`${dashboard}#/`);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Knowledge' }).click();
    await page.getByRole('heading', { level: 1, name: 'Knowledge' }).waitFor();
    await page.getByRole('button', { name: 'New collection' }).click();
    const form = page.getByRole('form', { name: 'New collection' });
    await form.getByLabel('Name').fill('Maintainer handbook');
    await form.getByLabel('Description').fill('How to measure and run an open source project');
    // The plugin catalog's embedder models, the offline one chosen by default (it needs no key).
    const embedder = form.getByLabel('Embedder');
    await embedder.locator('option', { hasText: /Feature hashing/ }).waitFor({ state: 'attached' });
    assert.equal(await embedder.inputValue(), '["offline-embedder","hash-1024"]');
    assert.equal(await form.getByLabel('Tokens per chunk').inputValue(), '800');
    assert.equal(await form.getByLabel('Overlap (tokens)').inputValue(), '400');
    // Smaller chunks, so the 9 KB guide makes several and the chunk viewer has something to page through.
    await form.getByLabel('Tokens per chunk').fill('200');
    await form.getByLabel('Overlap (tokens)').fill('40');
    await form.getByRole('button', { name: 'Create collection' }).click();
    await page.getByRole('heading', { level: 1, name: 'Maintainer handbook' }).waitFor();
    collectionUrl = page.url();
    assert.match(collectionUrl, /#\/knowledge\/kcol_/);
    await page.getByText('No documents yet.').waitFor();
  });

  await step(
    'knowledge: drops a Markdown file, picks a PDF, refuses an over-limit file; progress reaches Ready',
    async () => {
      const markdown = await readFile(resolve(FIXTURES, 'opensource-guide-metrics.md'), 'utf8');
      await dropFiles(page, [
        { name: 'opensource-guide-metrics.md', type: 'text/markdown', text: markdown },
        // One byte over 25 MB: refused in the page, never sent.
        { name: 'too-big.pdf', type: 'application/pdf', size: 25 * 1024 * 1024 + 1 },
      ]);
      await page
        .getByLabel('Files to upload')
        .setInputFiles(resolve(FIXTURES, 'usda-ag-energy-round-up-2017-02-24.pdf'));
      const uploads = page.getByRole('list', { name: 'Uploads' });
      await uploads
        .getByRole('listitem')
        .filter({ hasText: 'too-big.pdf' })
        .getByText(/larger than the 25 MB \(26,214,400 bytes\) limit/)
        .waitFor();
      const table = page.getByRole('region', { name: 'Documents' });
      const row = (name: RegExp) => table.getByRole('row').filter({ hasText: name });
      await row(/metrics/i).waitFor();
      await row(/usda/i).waitFor();
      // While a document ingests the table shows its progress bar; a screenshot of that moment when we catch one.
      const bar = table.getByRole('progressbar').first();
      if (await bar.isVisible().catch(() => false))
        await page.screenshot({ path: resolve(root, 'docs/screenshots/knowledge-ingesting.png') });
      for (const name of [/metrics/i, /usda/i])
        await row(name).locator('.badge.status-ready').waitFor({ timeout: READY_TIMEOUT_MS });
      assert.equal(await table.getByRole('progressbar').count(), 0, 'no progress bar once every document is ready');
      // The drop zone followed each upload to its ingestion result.
      await uploads
        .getByRole('listitem')
        .filter({ hasText: 'opensource-guide-metrics.md' })
        .getByText('Ready')
        .waitFor();
      assert.match((await row(/metrics/i).textContent()) ?? '', /\d+ chunks/);
      // The header's counts were re-read when ingestion ended.
      await page.getByText(/2 documents · \d+ chunks/).waitFor();
      // Public (citations may link to a download): saved through PATCH, still ticked after a reload.
      const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.ok());
      await row(/usda/i).getByRole('checkbox', { name: 'Public' }).check();
      await saved;
      await page.reload();
      assert.ok(await row(/usda/i).getByRole('checkbox', { name: 'Public' }).isChecked(), 'public is saved');
      await shot(page, 'documents', true);
    },
  );

  await step('knowledge: the chunk viewer pages through a document’s chunks with their heading context', async () => {
    const table = page.getByRole('region', { name: 'Documents' });
    await table
      .getByRole('row')
      .filter({ hasText: /metrics/i })
      .getByRole('link', { name: 'Chunks' })
      .click();
    const viewer = page.getByRole('region', { name: 'Chunks' });
    await viewer.getByText(/^Chunks 1–\d+ of \d+$/).waitFor();
    const first = viewer.locator('li.chunk').first();
    assert.match((await first.textContent()) ?? '', /\d+ tokens/);
    assert.ok((await viewer.locator('.chunk-context').count()) > 0, 'chunks under a heading show it as context');
    await shot(page, 'chunks');
  });

  await step('knowledge: the query preview ranks chunks with dense, keyword and fused scores', async () => {
    await page.goto(collectionUrl);
    await page
      .getByRole('navigation', { name: 'Collection sections' })
      .getByRole('link', { name: 'Query preview' })
      .click();
    const search = page.getByRole('form', { name: 'Search the collection' });
    await search.getByLabel('Question').fill('contributors');
    await search.getByLabel('Mode').selectOption('hybrid');
    await search.getByRole('button', { name: 'Search' }).click();
    const results = page.getByRole('list', { name: 'Results' });
    await results.getByRole('listitem').first().waitFor();
    const scores = results.getByRole('listitem').first().locator('.scores');
    const text = (await scores.textContent()) ?? '';
    assert.match(text, /Dense(#\d+ · -?[\d.]+|not ranked)/, `dense rank and score: ${text}`);
    assert.match(text, /Keyword(#\d+ · -?[\d.]+|not ranked)/, `keyword rank and score: ${text}`);
    assert.match(text, /Fused[\d.]+/, `fused score: ${text}`);
    // In hybrid mode some hit was found by both rankings (the word is in the guide), with both ranks shown.
    const both = results.getByRole('listitem').filter({ hasText: /Dense#\d+.*Keyword#\d+/ });
    assert.ok((await both.count()) > 0, 'a hit ranked by both dense and keyword search');
    await shot(page, 'query-preview');
    // Keyword mode alone: the fused column reads "Score", and every hit has a keyword rank.
    await search.getByLabel('Mode').selectOption('keyword');
    await search.getByRole('button', { name: 'Search' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /results · keyword/ })
      .waitFor();
  });

  await step('knowledge: the collections list shows the collection with its counts', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Knowledge' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Maintainer handbook' });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /hash-1024/);
    await shot(page, 'collections');
  });
}
