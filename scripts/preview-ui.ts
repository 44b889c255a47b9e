/// <reference types="node" />
/**
 * Renders the built dashboard in headless Chromium against a fake API and saves the screenshots in docs/screenshots/:
 *   dashboard-first.png    the dashboard with one offline chatbot (offline badge tooltip showing) and one plugin
 * It also checks the other dashboard states (rejected key, empty lists, server error) and fails loudly if one breaks.
 *
 * Usage: `tsx scripts/preview-ui.ts [--all]` (`--all` also saves the other states in test-results/ui-preview/).
 * Needs a Chromium: CHROMIUM_PATH, or /usr/bin/chromium (`apt-get install -y chromium`).
 */

import { mkdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { buildUi, outDir, root } from './build-ui';

const screenshotDir = resolve(root, 'docs/screenshots');
// Screenshots of the other states are for eyeballing, not for the docs; test-results/ is git-ignored.
const extraDir = resolve(root, 'test-results/ui-preview');
const saveAll = process.argv.includes('--all');

const chatbot = {
  id: 'bot_01hzy3k8q2',
  slug: 'demo',
  name: 'Demo assistant',
  description: 'Answers questions about Parley itself. Created by the first-run setup.',
  provider: { id: 'offline', displayName: 'Offline demo', offline: true },
  model: 'offline-echo',
  publishedVersion: 1,
};

const plugin = {
  id: 'offline',
  kind: 'provider',
  displayName: 'Offline demo',
  description: 'Canned replies without any LLM, so Parley works before an API key is configured.',
  version: '1.0.0',
  capabilities: {
    chat: true,
    tools: false,
    vision: false,
    embeddings: false,
    speechToText: false,
    textToSpeech: false,
    offline: true,
  },
  settingsSchema: { type: 'object', properties: { greeting: { type: 'string' } } },
};

/** The fake API picks its answers by API key, so every scenario is just a different `#key=`. */
function fakeApi(path: string, authorization: string | undefined): { status: number; body: unknown } {
  const key = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  const error = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });
  if (key !== 'prl_preview' && key !== 'prl_empty' && key !== 'prl_broken') {
    return error(401, 'unauthorized', 'Invalid API key');
  }
  if (path === '/api/v1/chatbots') {
    if (key === 'prl_broken') return error(500, 'internal', 'Internal error');
    return { status: 200, body: { data: key === 'prl_empty' ? [] : [chatbot], nextCursor: null } };
  }
  if (path === '/api/v1/plugins') return { status: 200, body: { data: key === 'prl_empty' ? [] : [plugin] } };
  return error(404, 'not_found', `No route for GET ${path}`);
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Serves dist/public like wrangler's assets (`/dashboard/` → `dashboard/index.html`), plus the fake API. */
async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname.startsWith('/api/')) {
    const { status, body } = fakeApi(url.pathname, request.headers.authorization);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    return;
  }
  const path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(outDir, path.endsWith('/') ? `${path}index.html` : path);
  try {
    const bytes = await readFile(file);
    response.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' }).end(bytes);
  } catch {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  }
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`Check failed: ${message}`);
}

async function snap(page: Page, name: string, required: boolean): Promise<void> {
  if (!required && !saveAll) return;
  const path = resolve(required ? screenshotDir : extraDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`saved ${path}`);
}

await buildUi();
await mkdir(screenshotDir, { recursive: true });
if (saveAll) await mkdir(extraDir, { recursive: true });
const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    console.error(error);
    response.writeHead(500).end();
  });
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});

try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 720 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // API failures are part of the scenarios; a missing asset (other than the favicon) is a bug.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      pageErrors.push(message.text());
    }
  });
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    if (response.status() === 404 && pathname !== '/favicon.ico') pageErrors.push(`404 ${pathname}`);
  });

  // The dashboard, opened the way the setup instructions link to it.
  await page.goto(`${base}/#key=prl_preview`);
  await page.getByText('Demo assistant').waitFor();
  check(!page.url().includes('prl_'), `the key left the address bar (${page.url()})`);
  const stored = await page.evaluate(() => sessionStorage.getItem('parley.apiKey'));
  check(stored === 'prl_preview', 'the key is kept in sessionStorage');
  await page.getByRole('button', { name: 'Offline — no LLM', exact: true }).focus();
  await page.getByRole('tooltip').waitFor({ state: 'visible' });
  await page.getByText('Offline demo', { exact: true }).last().waitFor();
  await snap(page, 'dashboard-first', true);

  // A rejected key sends the admin back to the key form with the reason.
  await page.goto(`${base}/dashboard/#key=prl_wrong`);
  await page.getByText('Parley rejected the API key').waitFor();
  check((await page.evaluate(() => sessionStorage.getItem('parley.apiKey'))) === null, 'a rejected key is forgotten');
  await page.getByLabel('API key').fill('not-a-key');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText('Parley API keys start with "prl_".').waitFor();
  await snap(page, 'dashboard-rejected-key', false);

  // Typing a key into the form works too; then the empty states say what to do next.
  await page.getByLabel('API key').fill('prl_empty');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText('No chatbots yet.').waitFor();
  await page.getByText('No plugins installed.').waitFor();
  await snap(page, 'dashboard-empty', false);

  // A server error is a banner with a retry, and the rest of the page still works.
  await page.getByRole('button', { name: 'Forget key' }).click();
  await page.goto(`${base}/dashboard/#key=prl_broken`);
  await page.getByText("Couldn't load chatbots.").waitFor();
  await page.getByText('Offline demo', { exact: true }).waitFor();
  await snap(page, 'dashboard-error', false);

  check(pageErrors.length === 0, `errors in the page:\n${pageErrors.join('\n')}`);
  console.log('All UI checks passed');
} finally {
  await browser.close();
  server.close();
}
