/// <reference types="node" />
/**
 * The LLM node's tool picker and the Tool node in the pipeline editor (docs/tools.md, "In the pipeline editor"):
 * an MCP server on the fake (worker/mcp/fake/server.ts, on 127.0.0.1) is added and listed through the API; in the
 * browser the LLM node gets a whole built-in set and one MCP tool, an approval on one of them, and a Tool node calls
 * the MCP tool; after a save and a reload all of it is still there. Run by e2e/pipeline-editor.e2e.ts.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { root } from '../scripts/build-ui.ts';
import { start as startFakeMcp } from '../worker/mcp/fake/server.ts';
import { recordAccessibility } from './a11y.ts';
import type { Step } from './steps.ts';

interface Harness {
  api: string;
  apiKey: string;
}

async function api<T>(harness: Harness, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${harness.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

const panelOf = (page: Page, id: string) => page.getByRole('region', { name: new RegExp(`Settings of ${id}`) });

async function openNode(page: Page, id: string) {
  await page.locator(`.pl-canvas [data-node-id="${id}"]`).click();
  await panelOf(page, id).waitFor();
  return panelOf(page, id);
}

async function saved(page: Page) {
  const status = page.locator('.pl-save-status');
  await status
    .getByText(/Unsaved|Saving/)
    .waitFor({ timeout: 2_000 })
    .catch(() => undefined);
  await status.getByText('All changes saved').waitFor({ timeout: 15_000 });
}

export async function toolPickerSteps(page: Page, dashboard: string, step: Step, harness: Harness): Promise<void> {
  const mcp = await startFakeMcp();
  try {
    let serverId = '';
    let chatbotId = '';
    let toolNode = '';
    await step('tool picker: an MCP server on the fake is added and its tools listed (API)', async () => {
      const server = await api<{ id: string }>(harness, 'POST', '/api/v1/mcp-servers', {
        name: 'Fake tools',
        url: `${mcp.url}/mcp`,
        allowedTools: ['echo', 'fail'],
      });
      serverId = server.id;
      const refreshed = await api<{ ok: boolean; message: string }>(
        harness,
        'POST',
        `/api/v1/mcp-servers/${serverId}/tools/refresh`,
      );
      assert.ok(refreshed.ok, refreshed.message);
      const bot = await api<{ id: string }>(harness, 'POST', '/api/v1/chatbots', { name: 'Tool picker' });
      chatbotId = bot.id;
    });

    await step('tool picker: picks a whole set and a single MCP tool, and an approval from them', async () => {
      await page.goto(`${dashboard}#/chatbots/${chatbotId}/pipeline`);
      const panel = await openNode(page, 'llm');
      const picker = panel.locator('.tool-picker');
      await picker.getByLabel('Search tools').fill('calc');
      await picker.getByRole('checkbox', { name: /^Calculator/ }).check();
      await picker.getByLabel('Search tools').fill('');
      await picker.getByRole('checkbox', { name: 'echo (Fake tools)' }).check();
      // The server's other allowed tool is not chosen by choosing one.
      assert.equal(await picker.getByRole('checkbox', { name: 'fail (Fake tools)' }).isChecked(), false);
      await picker.getByText('Chosen: 2.').waitFor();
      // The approval list offers the chosen tools' functions.
      const approval = panel
        .locator('fieldset.schema-object', { has: page.locator('legend', { hasText: /^Approval/ }) })
        .locator('fieldset', { has: page.locator('legend', { hasText: /^Functions/ }) });
      await approval.first().waitFor();
      await approval.first().getByRole('checkbox', { name: 'echo' }).check();
      assert.equal(await approval.first().getByRole('checkbox', { name: 'calculate' }).count(), 1);
      await saved(page);
      await picker.getByLabel('Search tools').fill('fake');
      // The open settings panel narrows the canvas: fit the graph to it so no node is cut off in the picture.
      await page.getByRole('button', { name: 'Fit' }).click();
      await picker.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: resolve(root, 'docs/screenshots/tool-picker.png') });
      await recordAccessibility(page, 'tool-picker');
      await picker.getByLabel('Search tools').fill('');
      await page.getByRole('button', { name: 'Close settings' }).click();
    });

    await step('tool picker: adds a Tool node calling the MCP tool with a templated argument', async () => {
      const item = page.locator('.pl-palette-item[data-kind="tool"]');
      await item.focus();
      await page.keyboard.press('Enter');
      const added = page.locator('.pl-canvas [data-node-id^="tool"]').first();
      await added.waitFor();
      toolNode = (await added.getAttribute('data-node-id')) ?? '';
      // A node added by keyboard lands in the middle of the canvas: lay the graph out so none covers another.
      await page.getByRole('button', { name: 'Auto-layout' }).click();
      const panel = await openNode(page, toolNode);
      // The catalog loads with the panel: the field is a plain text field until it has.
      const select = panel.locator(`select#node-${toolNode}-tool`);
      await select.waitFor();
      await select.selectOption({ label: `echo — mcp:${serverId}/echo` });
      await panel.getByLabel(/^Arguments/).fill('{ "text": "{{ input }}" }');
      await panel.getByLabel(/^Arguments/).blur();
      await panel.getByLabel('Connect output to').selectOption('end');
      await panel.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.getByRole('button', { name: 'Close settings' }).click();
      const llm = await openNode(page, 'llm');
      await llm.getByLabel('Connect output to').selectOption(toolNode);
      await llm.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.getByRole('button', { name: 'Close settings' }).click();
      await page.getByRole('button', { name: 'Auto-layout' }).click();
      await saved(page);
      const tool = await openNode(page, toolNode);
      await tool.locator(`select#node-${toolNode}-tool`).waitFor();
      // The settings panel narrows the canvas: fit the graph to what is left, so the end node is in the picture.
      await page.getByRole('button', { name: 'Fit' }).click();
      await tool.locator(`select#node-${toolNode}-tool`).waitFor();
      const end = await page.locator('.pl-canvas [data-node-id="end"]').boundingBox();
      const canvas = await page.locator('.pl-canvas').boundingBox();
      assert.ok(end && canvas && end.x + end.width <= canvas.x + canvas.width, 'the end node is inside the canvas');
      await page.screenshot({ path: resolve(root, 'docs/screenshots/tool-node.png') });
      await recordAccessibility(page, 'tool-node');
    });

    await step('tool picker: after a reload the tools, the approval and the Tool node are still there', async () => {
      await page.reload();
      const panel = await openNode(page, 'llm');
      const picker = panel.locator('.tool-picker');
      assert.ok(await picker.getByRole('checkbox', { name: /^Calculator/ }).isChecked());
      assert.ok(await picker.getByRole('checkbox', { name: 'echo (Fake tools)' }).isChecked());
      await page.getByRole('button', { name: 'Close settings' }).click();
      const tool = await openNode(page, toolNode);
      await tool.locator(`select#node-${toolNode}-tool`).waitFor();
      const selected = await tool.locator(`select#node-${toolNode}-tool`).evaluate((el) => {
        const select = el as HTMLSelectElement;
        return select.selectedOptions[0]?.textContent ?? '';
      });
      assert.equal(selected, `echo — mcp:${serverId}/echo`);
      type Draft = { definition: { nodes: { id: string; settings: Record<string, unknown> }[] }; issues: unknown[] };
      const draft = await api<Draft>(harness, 'GET', `/api/v1/chatbots/${chatbotId}/versions/0`);
      const llm = draft.definition.nodes.find((n) => n.id === 'llm');
      assert.deepEqual(llm?.settings.tools, ['builtin:calculator', `mcp:${serverId}/echo`]);
      assert.deepEqual((llm?.settings.approval as { functions: string[] } | undefined)?.functions, ['echo']);
      const stored = draft.definition.nodes.find((n) => n.id === toolNode);
      assert.deepEqual(stored?.settings, { tool: `mcp:${serverId}/echo`, arguments: { text: '{{ input }}' } });
      assert.deepEqual(draft.issues, []);
      await page.getByRole('button', { name: 'Close settings' }).click();
    });
  } finally {
    await mcp.close();
  }
}
