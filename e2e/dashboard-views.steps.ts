/// <reference types="node" />
/**
 * The dashboard routes the main story of e2e/dashboard.e2e.ts does not pass through, each checked by axe-core
 * (e2e/a11y.ts) once it has loaded: the chatbot editor's Widget and Channels tabs, participants and one participant,
 * API keys with a revoked key, the account page (two-factor sign-in, sessions) and the not-found page.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { root } from '../scripts/build-ui.ts';
import { assertAccessible } from './a11y.ts';
import type { Step } from './steps.ts';

/** Waits until no view on the page still says "Loading …" (lazy chunks and resources both show one). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('.loading') === null, null, { timeout: 15_000 });
}

async function visit(page: Page, url: string, view: string, ready: () => Promise<void>): Promise<void> {
  await page.goto(url);
  await ready();
  await settled(page);
  await assertAccessible(page, view);
}

export async function dashboardViewSteps(page: Page, dashboard: string, chatbotId: string, step: Step) {
  const heading = (name: string | RegExp) => () => page.getByRole('heading', { level: 1, name }).waitFor();

  await step('every other dashboard route passes axe: widget and channels tabs, participants, account', async () => {
    const failures: string[] = [];
    const check = (run: () => Promise<void>) => run().catch((error: Error) => void failures.push(error.message));
    await check(() =>
      visit(page, `${dashboard}#/chatbots/${chatbotId}/widget`, 'chatbot editor: widget', () =>
        page.getByRole('form', { name: 'Widget look' }).waitFor(),
      ),
    );
    await check(() =>
      visit(
        page,
        `${dashboard}#/chatbots/${chatbotId}/channels`,
        'chatbot editor: channels',
        heading('Returns helper'),
      ),
    );
    await check(() => visit(page, `${dashboard}#/participants`, 'participants', heading('Participants')));
    await check(async () => {
      const first = page.locator('main table a').first();
      await first.waitFor();
      await first.click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      await settled(page);
      await assertAccessible(page, 'participant');
    });
    await check(() =>
      visit(page, `${dashboard}#/account`, 'account: two-factor sign-in, sessions', heading('Your account')),
    );
    await check(() =>
      visit(page, `${dashboard}#/no-such-page`, 'not found', () =>
        page.getByText('This page does not exist.').waitFor(),
      ),
    );
    assert.deepEqual(failures, []);
  });

  await step('API keys: a revoked key reads as revoked by its colour and label, and the view passes axe', async () => {
    await page.goto(`${dashboard}#/api-keys`);
    const form = page.getByRole('form', { name: 'New API key' });
    for (const name of ['Old integration', 'CRM integration']) {
      await form.getByLabel('Name').fill(name);
      await form.getByRole('button', { name: 'Create key' }).click();
      await page.getByRole('row').filter({ hasText: name }).waitFor();
    }
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('row').filter({ hasText: 'Old integration' }).getByRole('button', { name: 'Revoke' }).click();
    const revoked = page.locator('tr.revoked').filter({ hasText: 'Old integration' });
    await revoked.getByText('revoked', { exact: true }).waitFor();
    assert.equal(await revoked.evaluate((row) => getComputedStyle(row).opacity), '1', 'no opacity on revoked rows');
    await settled(page);
    await page.screenshot({ path: resolve(root, 'docs/screenshots/dashboard-api-keys.png') });
    await assertAccessible(page, 'API keys, with a new and a revoked key');
  });
}
