/// <reference types="node" />
/**
 * The pipeline editor in Chromium (issue 15), called from e2e/dashboard.e2e.ts once signed in: builds a pipeline with
 * the mouse (drag an LLM router and two LLM nodes from the palette, connect their ports, configure the routes) and
 * by keyboard (add from the palette, connect through the port list), watches it save, meets a conflict from a
 * second tab, runs a test message and sees the path light up, publishes with a note, compares versions on the graph,
 * talks to the published chatbot through the widget on a host page and gets the routed answer, shows a failed node
 * red with its error and the test conversation's session state and participant data (and resets them), and opens the
 * template picker. Measures frame times of dragging and panning a 50-node pipeline (bench/README.md). Each view is
 * screenshotted into docs/screenshots/ and checked by axe (the `shot` callback).
 *
 * Routing is deterministic on the offline provider: asked for structured output, it answers the enum value that the
 * last user message names (plugins/providers/offline/chat.ts), so "…billing…" takes the `billing` route; each answer
 * node's prompt starts with its own desk name, which the offline reply quotes back.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { writeReadmeSection } from '../scripts/bench/readme-section.ts';
import { root } from '../scripts/build-ui.ts';
import type { Step } from './steps.ts';
import { toolPickerSteps } from './tool-picker.steps.ts';

type Shot = (name: string) => Promise<void>;

/** What the steps need of the e2e harness (e2e/harness.ts): the API, the host page's origin and an admin API key. */
export interface EditorHarness {
  api: string;
  host: string;
  apiKey: string;
}

const ROUTED_MESSAGE = 'I have a question about billing';
const BILLING_DESK = 'Billing desk:';
const GENERAL_DESK = 'General desk:';

async function api<T>(harness: EditorHarness, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${harness.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const canvas = (page: Page) => page.getByRole('application', { name: /Pipeline canvas/ });
const node = (page: Page, id: string) => page.locator(`.pl-canvas [data-node-id="${id}"]`);

async function center(locator: Locator): Promise<{ x: number; y: number }> {
  // The palette lists every installed kind and scrolls: a person scrolls to the item before dragging it.
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  if (!box) throw new Error('element has no box');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** A mouse drag in small steps, as a person moves the pointer (each step is one pointermove). */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, steps = 12) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 8, from.y + 8, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps });
  await page.mouse.up();
}

/** Drops a palette kind at a point of the canvas (fractions of its size); returns the new node's id. */
async function dropKind(page: Page, kind: string, fx: number, fy: number): Promise<string> {
  const before = await page
    .locator('.pl-canvas [data-node-id]')
    .evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.nodeId ?? ''));
  const box = await canvas(page).boundingBox();
  if (!box) throw new Error('no canvas');
  await drag(page, await center(page.locator(`.pl-palette-item[data-kind="${kind}"]`)), {
    x: box.x + box.width * fx,
    y: box.y + box.height * fy,
  });
  await page.waitForFunction(
    (count) => document.querySelectorAll('.pl-canvas [data-node-id]').length > count,
    before.length,
  );
  const after = await page
    .locator('.pl-canvas [data-node-id]')
    .evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.nodeId ?? ''));
  const added = after.find((id) => !before.includes(id));
  if (!added) throw new Error(`no ${kind} node was added`);
  return added;
}

/** Drags from an output port onto another node. */
async function wire(page: Page, from: string, port: string, to: string) {
  const edges = await page.locator('.pl-edges [data-edge]').count();
  await drag(
    page,
    await center(node(page, from).locator(`.pl-port.out[data-port="${port}"]`)),
    await center(node(page, to)),
  );
  await page.waitForFunction((n) => document.querySelectorAll('.pl-edges [data-edge]').length > n, edges);
}

/** Waits for the edit just made to reach the server: first for autosave to notice it, then for it to finish. */
async function saved(page: Page) {
  const status = page.locator('.pl-save-status');
  await status
    .getByText(/Unsaved|Saving/)
    .waitFor({ timeout: 2_000 })
    .catch(() => undefined);
  await status.getByText('All changes saved').waitFor({ timeout: 15_000 });
}

interface FrameTimes {
  p50: number;
  p95: number;
  max: number;
  frames: number;
}

export interface FrameReport {
  drag: FrameTimes;
  pan: FrameTimes;
}

/** The figures of a run as bench/README.md shows them (fps = 1000 / frame time). */
export function frameTable(report: FrameReport, when: string): string {
  const fps = (ms: number) => (ms > 0 ? (1000 / ms).toFixed(0) : '—');
  const row = (name: string, t: FrameTimes) =>
    `| ${name} | ${t.p50} | ${t.p95} | ${t.max} | ${fps(t.p50)} | ${fps(t.p95)} | ${t.frames} |`;
  return [
    `Measured ${when} by \`npm run test:e2e\` (e2e/pipeline-editor.steps.ts, last step) in headless Chromium against a real`,
    '`wrangler dev`: a 50-node pipeline (start → 48 template nodes → end) fitted to a 1280 × 860 window, one node',
    'dragged and then the canvas panned, 90 pointer moves each; frame time = the gap between `requestAnimationFrame`',
    'callbacks. 60 fps is a 16.7 ms frame. The machine is shared (2 cores, other runs in parallel), so p95 and max are',
    'noisy; the run asserts the median only.',
    '',
    '| Gesture | p50 ms | p95 ms | max ms | fps at p50 | fps at p95 | frames |',
    '|---|---|---|---|---|---|---|',
    row('Drag one node', report.drag),
    row('Pan the canvas', report.pan),
  ].join('\n');
}

/** rAF deltas while `action` runs: the frame times a user sees. */
async function frameTimes(page: Page, action: () => Promise<void>): Promise<FrameTimes> {
  await page.evaluate(() => {
    const deltas: number[] = [];
    let last = performance.now();
    let running = true;
    const tick = (now: number) => {
      deltas.push(now - last);
      last = now;
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    Object.assign(window, { frameDeltas: deltas, stopFrames: () => (running = false) });
  });
  await action();
  const deltas = await page.evaluate(() => {
    const w = window as unknown as { frameDeltas: number[]; stopFrames: () => void };
    w.stopFrames();
    return w.frameDeltas.slice(1);
  });
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q: number) =>
    Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1));
  return { p50: at(0.5), p95: at(0.95), max: at(1), frames: deltas.length };
}

/** A valid chain of 50 nodes: start → 48 reply nodes → end, kept as a local unsaved edit of the chatbot. */
function fiftyNodes(settings: unknown) {
  const ids = ['start', ...Array.from({ length: 48 }, (_, i) => `step_${i + 1}`), 'end'];
  return {
    schemaVersion: 2,
    nodes: ids.map((id) => ({
      id,
      kind: id === 'start' ? 'start' : id === 'end' ? 'end' : 'template',
      settings: id.startsWith('step_') ? { template: `Step ${id}: {{ input }}` } : {},
    })),
    edges: ids.slice(1).map((to, i) => ({ from: ids[i] as string, to })),
    settings,
  };
}

export async function pipelineEditorSteps(
  browser: Browser,
  page: Page,
  dashboard: string,
  step: Step,
  shot: Shot,
  harness: EditorHarness,
): Promise<{ frames: FrameReport | null }> {
  let chatbotId = '';
  let router = '';
  let answerA = '';
  let answerB = '';
  let frames: FrameReport | null = null;

  await step('pipeline editor: opens a new chatbot on the Pipeline tab as a graph', async () => {
    await page.goto(`${dashboard}#/chatbots`);
    const form = page.getByRole('form', { name: 'New chatbot' });
    await form.getByLabel('Name').fill('Pipeline router');
    await form.getByRole('button', { name: 'Create chatbot' }).click();
    await page.getByRole('heading', { name: 'Pipeline router' }).waitFor();
    chatbotId = decodeURIComponent(new URL(page.url()).hash.split('/')[2] ?? '');
    await page.getByRole('link', { name: 'Pipeline' }).click();
    await canvas(page).waitFor();
    // The v1 draft (start → llm → end) opens as three nodes and two edges.
    await node(page, 'start').waitFor();
    assert.equal(await page.locator('.pl-edges [data-edge]').count(), 2);
  });

  await step('pipeline editor: builds a router and two LLM nodes with the mouse and connects them', async () => {
    // Remove the default llm so the router sits between start and end.
    await node(page, 'llm').click();
    await page.keyboard.press('Delete');
    await page.waitForFunction(() => !document.querySelector('.pl-canvas [data-node-id="llm"]'));
    router = await dropKind(page, 'llm_router', 0.45, 0.5);
    answerA = await dropKind(page, 'llm', 0.8, 0.2);
    answerB = await dropKind(page, 'llm', 0.8, 0.8);
    // Routes come from the router's settings: fill them in its side panel.
    await node(page, router).click();
    const panel = page.getByRole('region', { name: new RegExp(`Settings of ${router}`) });
    await panel.waitFor();
    await configureRoutes(panel);
    await node(page, router).locator('.pl-port.out[data-port="billing"]').waitFor();
    await page.getByRole('button', { name: 'Close settings' }).click();
    await setPrompt(page, answerA, `${BILLING_DESK} {{input}}`);
    await setPrompt(page, answerB, `${GENERAL_DESK} {{input}}`);
    // Lay the unconnected nodes out in columns and fit them, so no node covers another's port.
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await wire(page, 'start', 'out', router);
    await wire(page, router, 'billing', answerA);
    await wire(page, router, 'other', answerB);
    await wire(page, answerA, 'out', 'end');
    await wire(page, answerB, 'out', 'end');
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await saved(page);
    // Every node was valid from the moment it was dropped: the saved draft has no problems.
    assert.equal(await page.locator('.pl-canvas .has-issues').count(), 0);
    assert.equal(await page.locator('.pl-save-status .pl-problems').count(), 0);
    await shot('pipeline-canvas');
  });

  await step('pipeline editor: undo removes the last edge, redo brings it back; edits survive a reload', async () => {
    const edges = await page.locator('.pl-edges [data-edge]').count();
    await page.getByRole('button', { name: 'Undo' }).click(); // the auto-layout
    await page.getByRole('button', { name: 'Undo' }).click();
    assert.equal(await page.locator('.pl-edges [data-edge]').count(), edges - 1);
    await page.getByRole('button', { name: 'Redo' }).click();
    await page.getByRole('button', { name: 'Redo' }).click();
    assert.equal(await page.locator('.pl-edges [data-edge]').count(), edges);
    await saved(page);
    await page.reload();
    await node(page, answerB).waitFor();
    assert.equal(await page.locator('.pl-edges [data-edge]').count(), edges);
  });

  await step('pipeline editor: adds and connects a node by keyboard alone', async () => {
    const item = page.locator('.pl-palette-item[data-kind="template"]');
    await item.focus();
    await page.keyboard.press('Enter');
    const added = page.locator('.pl-canvas [data-node-id^="template"]').first();
    await added.waitFor();
    // Focus moves to the new node; Enter opens it, arrows move it.
    const id = await added.getAttribute('data-node-id');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: new RegExp(`Settings of ${id}`) });
    await panel
      .getByLabel(/Template/)
      .first()
      .fill('Thanks for asking: {{ input }}');
    await panel.getByLabel('Connect output to').selectOption('end');
    await panel.getByRole('button', { name: 'Connect', exact: true }).click();
    await panel.getByText('out → end').waitFor();
    // Not reachable from start: the draft is saved anyway, and the server's problem is shown on the node.
    await page.locator(`.pl-canvas [data-node-id="${id}"].has-issues`).waitFor({ timeout: 15_000 });
    await page
      .locator('.pl-save-status .pl-problems')
      .getByText(/problem/)
      .waitFor();
    await shot('pipeline-node-error');
    await panel.getByRole('button', { name: 'Delete node' }).click();
    await saved(page);
  });

  await step("pipeline editor: a save over another tab's newer draft offers reload or overwrite", async () => {
    const other = await page.context().newPage();
    await other.goto(`${dashboard}#/chatbots/${chatbotId}/pipeline`);
    await node(other, answerA).click();
    await other.getByLabel('Label (optional)').fill('Billing answer');
    await saved(other);
    await node(page, answerB).click();
    await page.getByLabel('Label (optional)').fill('Everything else');
    const dialog = page.getByRole('alertdialog', { name: 'This draft was changed elsewhere' });
    await dialog.waitFor({ timeout: 15_000 });
    await shot('pipeline-conflict');
    await dialog.getByRole('button', { name: 'Overwrite with mine' }).click();
    await saved(page);
    await other.close();
  });

  await step("pipeline editor: a test message lights the path node by node and shows each node's trace", async () => {
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Test the draft' });
    // Record the order in which nodes light up: the path must colour node by node as the events arrive.
    await page.evaluate(() => {
      const lit: string[] = [];
      Object.assign(window, { litNodes: lit });
      const canvas = document.querySelector('.pl-canvas') as Element;
      new MutationObserver(() => {
        for (const el of canvas.querySelectorAll<HTMLElement>('[data-node-id].run-completed'))
          if (!lit.includes(el.dataset.nodeId ?? '')) lit.push(el.dataset.nodeId ?? '');
      }).observe(canvas, { subtree: true, attributes: true, attributeFilter: ['class'] });
    });
    await panel.getByLabel('Test message').fill(ROUTED_MESSAGE);
    await panel.getByRole('button', { name: 'Run' }).click();
    await page.locator(`.pl-canvas [data-node-id="${answerA}"].run-completed`).waitFor({ timeout: 30_000 });
    await page.locator('.pl-canvas [data-node-id="end"].run-completed').waitFor({ timeout: 15_000 });
    await panel.getByRole('list', { name: 'Nodes run' }).waitFor({ timeout: 15_000 });
    await panel.getByRole('log', { name: 'Reply' }).getByText(BILLING_DESK).first().waitFor();
    const lit = await page.evaluate(() => (window as unknown as { litNodes: string[] }).litNodes);
    assert.deepEqual(
      lit.filter((id) => ['start', router, answerA, 'end'].includes(id)),
      ['start', router, answerA, 'end'],
      `lit in order ${lit.join(' → ')}`,
    );
    assert.ok(!lit.includes(answerB), 'the other route stays dark');
    await panel.getByRole('list', { name: 'Nodes run' }).getByText(`→ billing`).waitFor();
    await panel.getByRole('region', { name: 'Session state' }).waitFor();
    await panel.getByRole('region', { name: 'Participant data' }).waitFor();
    await shot('pipeline-test');
  });

  await step('pipeline editor: publishes with a note; the widget on a host page gets the routed answer', async () => {
    await page.getByLabel('Publish note').fill('Router with two answers');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText(/Published v\d+/).waitFor();
    const versions = await api<{ data: { number: number; note: string }[] }>(
      harness,
      'GET',
      `/api/v1/chatbots/${chatbotId}/versions`,
    );
    assert.ok(versions.data.some((version) => version.note === 'Router with two answers' && version.number > 0));
    const key = await api<{ key: string }>(harness, 'POST', `/api/v1/chatbots/${chatbotId}/widget-keys`, {
      allowedOrigins: [harness.host],
    });
    const host = await page.context().newPage();
    try {
      await host.goto(`${harness.host}/?key=${encodeURIComponent(key.key)}`);
      await host.locator('parley-widget .launcher').waitFor();
      await host.evaluate(() => (window as unknown as { Parley: { open(): void } }).Parley.open());
      const composer = host.locator('parley-widget textarea');
      await composer.fill(ROUTED_MESSAGE);
      await composer.press('Enter');
      // The reply is done when its feedback buttons appear.
      await host.locator('parley-widget .m.bot:last-child .fb').first().waitFor({ timeout: 30_000 });
      const answer = (await host.locator('parley-widget .m.bot:last-child .b').textContent()) ?? '';
      assert.ok(answer.includes(`${BILLING_DESK} ${ROUTED_MESSAGE}`), `the widget answered: ${answer}`);
      assert.ok(!answer.includes(GENERAL_DESK), 'the other route did not answer');
    } finally {
      await host.close();
    }
  });

  await step('pipeline editor: compares the published version with an edited draft on the graph', async () => {
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await node(page, answerA).click();
    await page.getByLabel('Label (optional)').fill('Billing answer v2');
    await saved(page);
    await page.getByRole('button', { name: 'Compare versions' }).click();
    const compare = page.getByRole('region', { name: 'Compare versions' });
    await compare.locator(`.pl-node.diff-changed[data-node-id="${answerA}"]`).waitFor();
    await compare.getByRole('list', { name: 'Changed nodes' }).getByText('label').first().waitFor();
    // The settings diff shows both sides of the change.
    await compare.getByRole('list', { name: 'Changed nodes' }).getByText('Billing answer v2').first().waitFor();
    await shot('pipeline-compare');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
  });

  await step(
    'pipeline editor: a failed node is red with its error; session state and participant data reset',
    async () => {
      const bot = await api<{ id: string }>(harness, 'POST', '/api/v1/chatbots', {
        name: 'Failing pipeline',
        definition: failingPipeline(),
      });
      await page.goto(`${dashboard}#/chatbots/${bot.id}/pipeline`);
      await node(page, 'boom').waitFor();
      await page.getByRole('button', { name: 'Test', exact: true }).click();
      const panel = page.getByRole('region', { name: 'Test the draft' });
      // First a message that passes: the set-state node writes the session state the panel shows.
      await panel.getByLabel('Test message').fill('hello there');
      await panel.getByRole('button', { name: 'Run' }).click();
      const session = panel.getByRole('region', { name: 'Session state' });
      await session.getByText('hello there').waitFor({ timeout: 30_000 });
      await session.getByRole('button', { name: 'Reset session state' }).click();
      await session.getByText('Empty.').waitFor();
      const participant = panel.getByRole('region', { name: 'Participant data' });
      await participant.getByRole('button', { name: 'Reset participant data' }).click();
      await participant.getByText('Empty.').waitFor();
      // Then one the router sends to the code node, which throws: red, with its error in the panel.
      await panel.getByLabel('Test message').fill('please fail now');
      await panel.getByRole('button', { name: 'Run' }).click();
      await page.locator('.pl-canvas [data-node-id="boom"].run-failed').waitFor({ timeout: 30_000 });
      await panel
        .getByRole('alert')
        .getByText(/Failed at boom.*out of stock/)
        .waitFor({ timeout: 15_000 });
      await shot('pipeline-test-failed');
    },
  );

  await step("pipeline editor: the template picker previews each template's graph", async () => {
    await page.goto(`${dashboard}#/chatbots`);
    await page.getByRole('button', { name: 'Start from a template…' }).click();
    const card = page.locator('.template-card[data-template]').first();
    await card.waitFor();
    await card.locator('svg[role="img"]').waitFor();
    await card.click();
    await shot('pipeline-templates');
    const form = page.getByRole('form', { name: 'New chatbot' });
    await form.getByLabel('Name').fill('From a template');
    await form.getByRole('button', { name: 'Create chatbot' }).click();
    await canvas(page).waitFor();
    assert.ok((await page.locator('.pl-canvas [data-node-id]').count()) > 3);
  });

  await step(
    'pipeline editor: a 50-node pipeline drags and pans at 60 fps (frame times in bench/README.md)',
    async () => {
      const settings = await page.evaluate(async (id) => {
        const res = await fetch(`/api/v1/chatbots/${id}/versions/0`, { credentials: 'same-origin' });
        return ((await res.json()) as { definition: { settings: unknown } }).definition.settings;
      }, chatbotId);
      await page.evaluate(
        ([id, definition]) =>
          localStorage.setItem(
            `parley.pipeline.draft.${id}`,
            JSON.stringify({ definition, baseRevision: null, keptAt: Date.now() }),
          ),
        [chatbotId, fiftyNodes(settings)] as const,
      );
      await page.evaluate((id) => localStorage.removeItem(`parley.pipeline.layout.${id}`), chatbotId);
      await page.goto(`${dashboard}#/chatbots/${chatbotId}/pipeline`);
      // Only the fragment may have changed: load the page again so the editor reads the kept draft.
      await page.reload();
      await node(page, 'step_48').waitFor();
      assert.equal(await page.locator('.pl-canvas [data-node-id]').count(), 50);
      await page.getByRole('button', { name: 'Fit' }).click();
      const target = await center(node(page, 'step_10'));
      const dragFrames = await frameTimes(page, () => drag(page, target, { x: target.x + 200, y: target.y + 120 }, 90));
      const box = await canvas(page).boundingBox();
      if (!box) throw new Error('no canvas');
      const empty = { x: box.x + 10, y: box.y + box.height - 10 };
      const panFrames = await frameTimes(page, () => drag(page, empty, { x: empty.x + 300, y: empty.y - 200 }, 90));
      frames = { drag: dragFrames, pan: panFrames };
      const summary = `drag: p50 ${dragFrames.p50} ms, p95 ${dragFrames.p95} ms, max ${dragFrames.max} ms over ${dragFrames.frames} frames; pan: p50 ${panFrames.p50} ms, p95 ${panFrames.p95} ms, max ${panFrames.max} ms over ${panFrames.frames} frames`;
      console.log(`  50-node canvas frame times — ${summary}`);
      await shot('pipeline-50-nodes');
      // 60 fps is a 16.7 ms frame; the median frame must make it (p95 is reported, the machine is shared).
      assert.ok(dragFrames.p50 <= 17.5 && panFrames.p50 <= 17.5, summary);
      // Leave the chatbot as the server has it.
      await page.evaluate((id) => localStorage.removeItem(`parley.pipeline.draft.${id}`), chatbotId);
    },
  );

  await toolPickerSteps(page, dashboard, step, harness);

  void browser;
  return { frames };
}

/**
 * A new router starts with two valid routes (`route_a`, `other`; the kind's defaults): rename the first to `billing`
 * and say when to take each.
 */
async function configureRoutes(panel: Locator) {
  const routes = panel.locator('.schema-array-item');
  await routes.nth(0).getByLabel(/^Name/).fill('billing');
  await routes
    .nth(0)
    .getByLabel(/^Description/)
    .fill('Questions about invoices, payments and billing');
  await routes
    .nth(1)
    .getByLabel(/^Description/)
    .fill('Everything else');
}

/** Opens a node's settings, sets the prompt its model is sent, and closes them. */
async function setPrompt(page: Page, id: string, prompt: string) {
  await node(page, id).click();
  const panel = page.getByRole('region', { name: new RegExp(`Settings of ${id}`) });
  await panel
    .getByLabel(/^Prompt/)
    .first()
    .fill(prompt);
  await page.getByRole('button', { name: 'Close settings' }).click();
}

/** start → set state → router ("fail" → a code node that throws; else → template) → end, made through the API. */
function failingPipeline() {
  return {
    schemaVersion: 2,
    nodes: [
      { id: 'start', kind: 'start', settings: {} },
      {
        id: 'remember',
        kind: 'set_state',
        settings: { operations: [{ op: 'assign', scope: 'session', key: 'last' }] },
      },
      {
        id: 'route',
        kind: 'static_router',
        settings: {
          source: 'input',
          rules: [{ port: 'fail', operator: 'contains', value: 'fail' }],
          defaultPort: 'ok',
        },
      },
      {
        id: 'boom',
        kind: 'code',
        settings: { code: "function main(input) {\n  throw new Error('out of stock');\n}\n" },
      },
      { id: 'fine', kind: 'template', settings: { template: 'Fine: {{ input }}' } },
      { id: 'end', kind: 'end', settings: {} },
    ],
    edges: [
      { from: 'start', to: 'remember' },
      { from: 'remember', to: 'route' },
      { from: 'route', fromPort: 'fail', to: 'boom' },
      { from: 'route', fromPort: 'ok', to: 'fine' },
      { from: 'boom', to: 'end' },
      { from: 'fine', to: 'end' },
    ],
    settings: { burstPolicy: 'queue', welcomeMessage: '', starterQuestions: [], fallbackReply: 'Sorry, that failed.' },
  };
}

/** Writes a run's frame times into bench/README.md ("Pipeline editor frame times"). */
export async function recordFrameTimes(report: FrameReport): Promise<void> {
  const when = new Date().toISOString().slice(0, 10);
  await writeReadmeSection(resolve(root, 'bench/README.md'), 'editor-frames', frameTable(report, when));
}
