/// <reference types="node" />
/**
 * The dashboard's Custom actions page end to end (issue 18 §1, §6): an admin pastes a YAML OpenAPI spec, parses it,
 * picks two of its operations, sets bearer auth, saves, reloads, and sees the auth redacted ("configured", the token
 * nowhere on the page), then opens the edit form where the secret can only be replaced. Saves
 * docs/screenshots/custom-actions.png; the views are checked by axe (e2e/a11y.ts).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { root } from '../scripts/build-ui.ts';
import { recordAccessibility } from './a11y.ts';
import { settled } from './dashboard-views.steps.ts';
import type { Step } from './steps.ts';

const SPEC = resolve(root, 'worker/custom-actions/spec/fixtures/petstore-3.0.yaml');
const TOKEN = 'e2e-bearer-token-7f3a9c';

export async function customActionsDashboardSteps(page: Page, dashboard: string, step: Step) {
  await step('custom actions: pastes a YAML spec, parses it and lists its operations', async () => {
    await page.goto(`${dashboard}#/`);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Custom actions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Custom actions' }).waitFor();
    await page.getByRole('button', { name: 'Add custom action' }).click();
    const form = page.getByRole('form', { name: 'Add a custom action' });
    // A Swagger 2.0 document is refused with the reason, shown at its path.
    await form.getByLabel('Spec text').fill('swagger: "2.0"\ninfo: {title: Old, version: "1"}\npaths: {}\n');
    await form.getByRole('button', { name: 'Parse', exact: true }).click();
    await form
      .getByRole('alert')
      .getByText(/Swagger 2\.0 is not supported/)
      .waitFor();
    await form.getByLabel('Spec text').fill(await readFile(SPEC, 'utf8'));
    await form.getByRole('button', { name: 'Parse', exact: true }).click();
    const operations = form.getByRole('group', { name: /^Operations/ });
    await operations.waitFor();
    assert.equal(await operations.getByRole('checkbox').count(), 7);
    // The spec's title and first server fill the empty name and base URL.
    assert.equal(await form.getByLabel('Name', { exact: true }).inputValue(), 'Swagger Petstore');
    assert.equal(await form.getByLabel('Base URL').inputValue(), 'https://eu.petstore.example/v1');
    assert.match((await operations.locator('li').first().textContent()) ?? '', /GET\s*\/pets\s*List all pets/);
  });

  await step('custom actions: picks two operations, sets bearer auth and saves', async () => {
    const form = page.getByRole('form', { name: 'Add a custom action' });
    await form.getByLabel('Name', { exact: true }).fill('Petstore');
    const operations = form.getByRole('group', { name: /^Operations/ });
    for (const box of await operations.getByRole('checkbox').all()) await box.uncheck();
    await operations.locator('li', { hasText: 'List all pets' }).getByRole('checkbox').check();
    await operations.locator('li', { hasText: 'Creates a new pet' }).getByRole('checkbox').check();
    await operations.getByText('Operations (2 of 7 selected)').waitFor();
    await form.getByLabel('Kind').selectOption('bearer');
    await form.getByLabel('Token', { exact: true }).fill(TOKEN);
    await form.getByLabel('Health check URL').fill('https://eu.petstore.example/v1/health');
    await form.getByRole('button', { name: 'Add action' }).click();
    await page.getByRole('status').getByText('Saved Petstore.').waitFor();
    const row = page.getByRole('row', { name: 'Petstore' });
    await row.getByText('2 of 7').waitFor();
    await row.getByText('listPets, createPet').waitFor();
  });

  await step('custom actions: after a reload the auth shows as configured and the token is nowhere', async () => {
    await page.reload();
    const row = page.getByRole('row', { name: 'Petstore' });
    await row.getByText('Bearer token').waitFor();
    await row.getByText('configured').waitFor();
    await row.getByText('not checked yet').waitFor();
    await row.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit Petstore' });
    const auth = form.getByRole('group', { name: 'Authentication' });
    await auth.getByText('configured').waitFor();
    await auth.getByRole('button', { name: 'Replace' }).waitFor();
    assert.equal(await form.getByLabel('Token', { exact: true }).count(), 0, 'no token field until Replace');
    const operations = form.getByRole('group', { name: /^Operations/ });
    await operations.getByText('Operations (2 of 7 selected)').waitFor();
    assert.equal(await operations.getByRole('checkbox', { checked: true }).count(), 2);
    const html = await page.content();
    assert.ok(!html.includes(TOKEN), 'the bearer token must never reach the page');
    await settled(page);
    await page.screenshot({ path: resolve(root, 'docs/screenshots/custom-actions.png'), fullPage: true });
    await recordAccessibility(page, 'custom actions: list and edit form');
    await form.getByRole('button', { name: 'Cancel' }).click();
  });
}
