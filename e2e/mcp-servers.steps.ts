/// <reference types="node" />
/**
 * The dashboard's MCP servers page (issue 18 §6) against a real MCP server: the SDK's McpServer runs in this Node
 * process (worker/mcp/fake/server.ts) and the Worker under wrangler dev connects to it. An admin adds a server with
 * a bearer token, tests the connection (its tools listed), allows two tools, edits the name without retyping the
 * token, and deletes it; then connects one with OAuth sign-in (Connect → pop-up → callback). Saves
 * docs/screenshots/mcp-servers.png, mcp-servers-add.png and mcp-servers-oauth.png; each view is checked by axe (e2e/a11y.ts).
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { root } from '../scripts/build-ui.ts';
import { SECURE_TOKEN, start as startFakeMcp } from '../worker/mcp/fake/server.ts';
import { recordAccessibility } from './a11y.ts';
import { settled } from './dashboard-views.steps.ts';
import type { Step } from './steps.ts';

interface Api {
  api: string;
  apiKey: string;
}

async function servers(harness: Api): Promise<{ id: string; name: string; allowedTools: string[] }[]> {
  const res = await fetch(`${harness.api}/api/v1/mcp-servers`, {
    headers: { authorization: `Bearer ${harness.apiKey}` },
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { data: { id: string; name: string; allowedTools: string[] }[] }).data;
}

export async function mcpServerSteps(page: Page, dashboard: string, harness: Api, step: Step): Promise<void> {
  const fake = await startFakeMcp();
  try {
    await step('MCP servers: add a server with a bearer token, test the connection, allow two tools', async () => {
      await page.goto(`${dashboard}#/mcp-servers`);
      await page.getByRole('heading', { level: 1, name: 'MCP servers' }).waitFor();
      await page.getByRole('link', { name: 'MCP servers' }).waitFor();
      await page.getByRole('button', { name: 'Add MCP server' }).click();
      const form = page.getByRole('form', { name: 'Add an MCP server' });
      await form.getByLabel('Name').fill('Fake tools');
      await form.getByLabel('URL').fill(`${fake.url}/secure/mcp`);
      // OAuth's fields, for the picture of the form; then a bearer token, which the fake's /secure/mcp wants.
      await form.getByLabel('Authentication').selectOption('oauth2_client_credentials');
      await form.getByLabel('Token URL').fill(`${fake.url}/oauth/token`);
      await form.getByLabel('Client ID').fill('parley-client');
      await page.screenshot({ path: resolve(root, 'docs/screenshots/mcp-servers-add.png') });
      await recordAccessibility(page, 'mcp servers: add form');
      await form.getByLabel('Authentication').selectOption('bearer');
      await form.getByLabel('Token', { exact: true }).fill(SECURE_TOKEN);
      await form.getByRole('button', { name: 'Add server' }).click();
      const item = page.getByRole('listitem', { name: 'Fake tools' });
      await item.getByText('Tools not listed yet').waitFor();
      await item.getByRole('button', { name: 'Test connection & refresh tools' }).click();
      await item.getByText('Connected: 5 tools').waitFor({ timeout: 20_000 });
      const picker = item.getByRole('form', { name: 'Tools of Fake tools' });
      await picker.getByText('Echoes the text back').waitFor();
      await picker.getByRole('checkbox', { name: /^echo/ }).check();
      await picker.getByRole('checkbox', { name: /^add/ }).check();
      await picker.getByRole('button', { name: 'Save allowed tools' }).click();
      // The list line, not the "Saved: 2 of 5 tools allowed" banner that can sit in the same item for a moment.
      await item.getByText(/^2 of 5 tools allowed/).waitFor();
      const [stored] = (await servers(harness)).filter((server) => server.name === 'Fake tools');
      assert.deepEqual(stored?.allowedTools, ['echo', 'add']);
      // The token is never sent back to the page.
      assert.ok(!(await page.content()).includes(SECURE_TOKEN));
      await settled(page);
      await page.screenshot({ path: resolve(root, 'docs/screenshots/mcp-servers.png'), fullPage: true });
      await recordAccessibility(page, 'mcp servers');
    });

    await step('MCP servers: edit the name keeping the stored token, then delete the server', async () => {
      const item = page.getByRole('listitem', { name: 'Fake tools' });
      await item.getByRole('button', { name: 'Edit' }).click();
      const edit = item.getByRole('form', { name: 'Edit Fake tools' });
      await edit.getByLabel('Name').fill('Fake tools (edited)');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      const edited = page.getByRole('listitem', { name: 'Fake tools (edited)' });
      await edited.waitFor();
      // The token left empty stayed stored: the connection still works.
      await edited.getByRole('button', { name: 'Test connection & refresh tools' }).click();
      await edited.getByText('Connected: 5 tools').waitFor({ timeout: 20_000 });
      page.once('dialog', (dialog) => void dialog.accept());
      await edited.getByRole('button', { name: 'Delete' }).click();
      await page.getByText('No MCP servers yet.').waitFor();
      assert.equal((await servers(harness)).length, 0);
    });

    await step('MCP servers: OAuth sign-in — Connect opens the sign-in, the callback connects the server', async () => {
      await page.getByRole('button', { name: 'Add MCP server' }).click();
      const form = page.getByRole('form', { name: 'Add an MCP server' });
      await form.getByLabel('Name').fill('Signed-in tools');
      await form.getByLabel('URL').fill(`${fake.url}/authcode/mcp`);
      await form.getByLabel('Authentication').selectOption('oauth2_authorization_code');
      await form.getByRole('button', { name: 'Add server' }).click();
      const item = page.getByRole('listitem', { name: 'Signed-in tools' });
      await item.getByText(/not connected/).waitFor();
      // The fake's /authorize approves at once: the pop-up lands on the callback, then back on the dashboard.
      const [popup] = await Promise.all([
        page.waitForEvent('popup'),
        item.getByRole('button', { name: 'Connect', exact: true }).click(),
      ]);
      await popup.waitForURL(/#\/mcp-servers$/, { timeout: 20_000 });
      await popup.close();
      await page.reload();
      const connected = page.getByRole('listitem', { name: 'Signed-in tools' });
      await connected.getByText(/· connected/).waitFor();
      await connected.getByRole('button', { name: 'Test connection & refresh tools' }).click();
      await connected.getByText('Connected: 5 tools').waitFor({ timeout: 20_000 });
      assert.ok(!(await page.content()).includes('tok-'));
      await settled(page);
      await page.screenshot({ path: resolve(root, 'docs/screenshots/mcp-servers-oauth.png') });
      await recordAccessibility(page, 'mcp servers: oauth connected');
      page.once('dialog', (dialog) => void dialog.accept());
      await connected.getByRole('button', { name: 'Delete' }).click();
      await page.getByText('No MCP servers yet.').waitFor();
    });
  } finally {
    await fake.close();
  }
}
