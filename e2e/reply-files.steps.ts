/// <reference types="node" />
/**
 * A message's files in the dashboard (issue 18 §1, §6; docs/tools.md#files-from-an-action), in headless Chromium:
 * a visitor uploads an image through the widget API and asks for the report; the custom action's PDF answer becomes
 * a file of the reply. The transcript shows the image as a thumbnail and the PDF as a chip; Download (by keyboard)
 * saves exactly the bytes the fake API sent, and a failed download says so next to the file. The test chat shows the
 * file of a reply to the draft the same way. Saves docs/screenshots/reply-files.png; axe checks the transcript.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { root } from '../scripts/build-ui.ts';
import { assertAccessible } from './a11y.ts';
import { newContext } from './browser.ts';
import type { Harness } from './harness.ts';
import type { Step } from './steps.ts';

interface Run {
  harness: Harness;
  browser: Browser;
  step: Step;
  botId: string;
  /** The message that makes the fake model call the file operation (e2e/custom-actions.e2e.ts scriptedTurn). */
  script: string;
  /** What the fake API answers for the file (worker/custom-actions/fake/server.ts REPORT_BYTES). */
  bytes: Buffer;
}

async function json<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  assert.ok(res.ok, `${what}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A small picture to upload, drawn by the browser itself (no fixture file to keep). */
async function drawPng(page: Page): Promise<Buffer> {
  await page.setContent(
    '<div id="art" style="width:240px;height:160px;background:linear-gradient(135deg,#4f46e5,#06b6d4);' +
      'display:grid;place-items:center;color:#fff;font:700 28px system-ui">Q3 chart</div>',
  );
  return page.locator('#art').screenshot();
}

/** A widget visitor's conversation with the bot: the photo uploaded and sent with the script; the reply awaited. */
async function visitorTurn(run: Run, png: Buffer): Promise<string> {
  const { harness, botId } = run;
  const origin = harness.api;
  const admin = { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' };
  const key = await json<{ key: string }>(
    await fetch(`${harness.api}/api/v1/chatbots/${botId}/widget-keys`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ allowedOrigins: [origin] }),
    }),
    'widget key',
  );
  const session = await json<{ token: string; conversationId: string }>(
    await fetch(`${harness.api}/api/widget/v1/sessions`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ widgetKey: key.key, anonymousId: 'e2e-reply-files-visitor' }),
    }),
    'widget session',
  );
  const widget = { origin, authorization: `Bearer ${session.token}` };
  const upload = await json<{ fileId: string }>(
    await fetch(`${harness.api}/api/widget/v1/conversations/${session.conversationId}/uploads?name=q3-chart.png`, {
      method: 'POST',
      headers: { ...widget, 'content-type': 'image/png' },
      body: new Uint8Array(png),
    }),
    'upload',
  );
  await json(
    await fetch(`${harness.api}/api/widget/v1/conversations/${session.conversationId}/messages`, {
      method: 'POST',
      headers: { ...widget, 'content-type': 'application/json' },
      body: JSON.stringify({ text: run.script, clientMessageId: 'e2e-reply-files-1', attachments: [upload.fileId] }),
    }),
    'widget message',
  );
  // The widget's turn runs detached (202): wait for the reply like the widget's event stream would.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${harness.api}/api/v1/conversations/${session.conversationId}/messages`, {
      headers: admin,
    });
    // 404 until the conversation's row reaches the team's list (written from the conversation object).
    const page =
      res.status === 404
        ? { data: [] }
        : await json<{ data: { role: string; status: string; metadata: { attachments?: unknown[] } }[] }>(
            res,
            'messages',
          );
    const reply = page.data.find((m) => m.role === 'assistant' && m.status !== 'streaming');
    if (reply) {
      assert.equal(reply.status, 'complete');
      assert.equal(reply.metadata.attachments?.length, 1, 'the reply carries the report');
      return session.conversationId;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('the reply did not complete within 30 s');
}

export async function replyFilesSteps(run: Run): Promise<void> {
  const { harness, browser, step, bytes } = run;
  const context = await newContext(browser, { viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error));
  let conversationId = '';
  try {
    await step('reply files: a visitor sends a photo and the action answers with a PDF', async () => {
      conversationId = await visitorTurn(run, await drawPng(page));
    });

    await step('reply files: the transcript shows the photo as a thumbnail and the PDF as a chip', async () => {
      await page.goto(`${harness.api}/dashboard/`);
      await page.getByLabel('Email').fill(harness.owner.email);
      await page.getByLabel('Password').fill(harness.owner.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Home' }).waitFor();
      await page.goto(`${harness.api}/dashboard/#/conversations/${conversationId}`);
      const transcript = page.getByRole('region', { name: 'Transcript' });
      const photo = transcript
        .getByRole('article', { name: 'user message' })
        .getByRole('img', { name: 'q3-chart.png' });
      await photo.waitFor({ timeout: 30_000 });
      // The thumbnail really loaded (a blob: URL of the fetched bytes), not a broken image.
      await page.waitForFunction(() =>
        [...document.querySelectorAll<HTMLImageElement>('.attachment-thumb img')].some((i) => i.naturalWidth),
      );
      assert.match((await photo.getAttribute('src')) ?? '', /^blob:/);
      const reply = transcript.getByRole('article', { name: 'assistant message' });
      const chip = reply.getByRole('list', { name: '1 file' }).getByRole('listitem');
      await chip.getByText('report.pdf').waitFor();
      await chip.getByText(`${bytes.length} bytes`).waitFor();
      assert.equal(await chip.locator('.attachment-icon').textContent(), 'PDF');
      await chip.scrollIntoViewIfNeeded();
      await page.screenshot({ path: resolve(root, 'docs/screenshots/reply-files.png') });
      await assertAccessible(page, 'transcript with message files');
    });

    await step('reply files: Download by keyboard saves report.pdf with the exact bytes', async () => {
      const button = page.getByRole('button', { name: 'Download report.pdf' });
      await button.focus();
      const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      assert.equal(download.suggestedFilename(), 'report.pdf');
      const saved = await readFile(await download.path());
      assert.ok(saved.equals(bytes), `downloaded ${saved.length} bytes, expected ${bytes.length}`);
    });

    await step('reply files: a failed download is reported next to the file', async () => {
      // The file's route answering 404 (as for a file deleted since): the chip says so, nothing is saved.
      await page.route('**/api/v1/conversations/*/files/*', (route) =>
        route.fulfill({
          status: 404,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'not_found', message: 'File not found' } }),
        }),
      );
      try {
        await page.getByRole('button', { name: 'Download report.pdf' }).click();
        await page.getByRole('alert').getByText("Couldn't download report.pdf: File not found.").waitFor();
      } finally {
        await page.unroute('**/api/v1/conversations/*/files/*');
      }
    });

    await step('reply files: the test chat shows the file of a reply to the draft', async () => {
      await page.goto(`${harness.api}/dashboard/#/chatbots/${run.botId}/test`);
      await page.getByLabel('Message').fill(run.script);
      await page.getByRole('button', { name: 'Send' }).click();
      const chat = page.getByRole('region', { name: 'Test chat' });
      const button = chat.getByRole('button', { name: 'Download report.pdf' });
      await button.waitFor({ timeout: 20_000 });
      const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
      assert.ok((await readFile(await download.path())).equals(bytes));
    });
  } finally {
    await context.close();
  }
}
