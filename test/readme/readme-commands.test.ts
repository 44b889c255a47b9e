/**
 * The README's shell blocks, run against the Worker so the README cannot drift from the API: every ```sh block
 * either runs here (in order, sharing variables like one terminal) or is listed in NOT_RUN with the reason.
 */
import { SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import readme from '../../README.md?raw';
import { BASE, seedDemo } from '../seed.ts';
import { type CurlRequest, run, shellBlocks } from './shell.ts';

/** Blocks this test cannot run, by their first command line, with why. */
const NOT_RUN: Record<string, string> = {
  'npm install && npm start': 'starts wrangler dev; the e2e harness (e2e/) runs `npm start`',
  'npm test': 'runs this very suite',
  'npx wrangler d1 create parley': 'creates Cloudflare resources (needs a Cloudflare account)',
  'npx wrangler vectorize create parley-knowledge-1024 --dimensions=1024 --metric=cosine':
    'creates a Vectorize index on Cloudflare (no local simulator exists; worker/knowledge/index/vectorize-store.ts)',
  "export ENCRYPTION_KEY=$(node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\")":
    'sets a secret of both Workers on Cloudflare (wrangler.toml, wrangler.ingest.toml)',
  "node -e \"console.log(require('crypto').randomBytes(24).toString('base64url'))\" | npx wrangler secret put SETUP_TOKEN":
    'sets a Worker secret on Cloudflare; POST /api/v1/auth/setup is covered by worker/auth/setup-routes tests',
};

const firstLine = (block: string) =>
  block
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('#')) ?? '';

/**
 * The one rewrite: a Telegram channel the README creates points at the fake Bot API, so its setup (setWebhook) does
 * not try to reach api.telegram.org from the test.
 */
function offTheRealTelegram(body: string | undefined): string | undefined {
  if (!body?.includes('"pluginId":"telegram"')) return body;
  const parsed = JSON.parse(body) as { settings?: Record<string, unknown> };
  parsed.settings = { apiBaseUrl: inject('fakeServers').telegram, ...parsed.settings };
  return JSON.stringify(parsed);
}

interface Call {
  request: CurlRequest;
  status: number;
}

describe('README shell blocks', { timeout: 60_000 }, () => {
  const blocks = shellBlocks(readme);

  it('finds the blocks, and every one either runs here or is listed with a reason', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    for (const block of blocks) {
      const line = firstLine(block);
      if (line in NOT_RUN) continue;
      expect(line, 'a block that is not run must be listed in NOT_RUN').toMatch(/^(\w+=|curl )/);
    }
  });

  it('runs the API blocks against the Worker, every request answering 2xx', async () => {
    const demo = await seedDemo();
    const calls: Call[] = [];
    const host = {
      seed: demo as unknown as Record<string, unknown>,
      async fetch(request: CurlRequest): Promise<string> {
        const response = await SELF.fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: offTheRealTelegram(request.body),
        });
        const text = await response.text();
        calls.push({ request, status: response.status });
        if (response.status >= 400) {
          throw new Error(`${request.method} ${request.url} answered ${response.status}: ${text.slice(0, 300)}`);
        }
        return text;
      },
    };
    const vars: Record<string, string> = {};
    for (const block of blocks.filter((b) => !(firstLine(b) in NOT_RUN))) await run(block, vars, host, BASE);
    expect(calls.length).toBeGreaterThanOrEqual(15);
    expect(calls.every((call) => call.status < 400)).toBe(true);
  });
});
