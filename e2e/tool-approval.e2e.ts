/// <reference types="node" />
/**
 * Human approval of tool calls (docs/tools.md#approval) end to end in headless Chromium against a real
 * `wrangler dev` (e2e/harness.ts): the "Clock assistant" (e2e/extra-bots.ts) calls current_time, which needs
 * approval. In the widget the user allows it by keyboard; in the dashboard's test chat the tester denies one.
 * Usage: `E2E_PORT=8938 tsx e2e/tool-approval.e2e.ts`. Saves docs/screenshots/tool-approval*.png.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { root } from '../scripts/build-ui.ts';
import { assertAccessible } from './a11y.ts';
import { botTexts, launch, newContext } from './browser.ts';
import { startHarness } from './harness.ts';
import { stepRunner } from './steps.ts';

const shots = resolve(root, 'docs/screenshots');
const browser = await launch();
const harness = await startHarness();
const { step, tally } = stepRunner();

try {
  await step('widget: the call waits for the user, Allow by keyboard runs it and the reply continues', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('[page error]', error));
    const w = (selector: string) => page.locator(`parley-widget ${selector}`);
    await page.goto(`${harness.host}/?key=${harness.toolsKey}`);
    await w('.launcher').click();
    await w('textarea').fill('Europe/Paris');
    await w('textarea').press('Enter');
    const card = w('.ask');
    await card.waitFor({ timeout: 20_000 });
    const text = (await card.textContent()) ?? '';
    assert.match(text, /The assistant wants to use current_time/);
    // The arguments, pretty-printed on their own lines.
    assert.match((await card.locator('pre').textContent()) ?? '', /\{\n {2}"timeZone": "Europe\/Paris"\n\}/);
    await page.screenshot({ path: resolve(shots, 'tool-approval.png') });
    await assertAccessible(page, 'widget tool approval');
    // Keyboard: focus Allow, then Enter.
    await card.getByRole('button', { name: 'Allow' }).focus();
    await page.keyboard.press('Enter');
    await card.getByText('Allowed').waitFor({ timeout: 10_000 });
    await page.waitForFunction(
      () =>
        [...(document.querySelector('parley-widget')?.shadowRoot?.querySelectorAll('.m.bot .b') ?? [])].some((n) =>
          n.textContent?.includes('Tool current_time returned'),
        ),
      undefined,
      { timeout: 20_000 },
    );
    const replies = await botTexts(page);
    assert.ok(replies.some((reply) => reply.includes('Europe/Paris')));
    await page.screenshot({ path: resolve(shots, 'tool-approval-allowed.png') });
    await context.close();
  });

  await step(
    'dashboard test chat: Approve / Deny under the reply, Deny tells the model; the transcript lists the call',
    async () => {
      const context = await newContext(browser, { viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error('[page error]', error));
      await page.goto(`${harness.api}/dashboard/`);
      await page.getByLabel('Email').fill(harness.owner.email);
      await page.getByLabel('Password').fill(harness.owner.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Home' }).waitFor();
      await page.goto(`${harness.api}/dashboard/#/chatbots/tools/test`);
      await page.getByLabel('Message').fill('Asia/Tokyo');
      await page.getByRole('button', { name: 'Send' }).click();
      const request = page.getByRole('region', { name: 'Approve tool call current_time' });
      await request.waitFor({ timeout: 20_000 });
      assert.match((await request.locator('pre').textContent()) ?? '', /"timeZone": "Asia\/Tokyo"/);
      await page.screenshot({ path: resolve(shots, 'tool-approval-dashboard.png') });
      await assertAccessible(page, 'test chat tool approval');
      await request.getByRole('button', { name: 'Deny' }).focus();
      await page.keyboard.press('Enter');
      await request.getByText('Denied (user)').waitFor({ timeout: 10_000 });
      const reply = page.locator('.bubble.assistant').last();
      await reply.locator('.bubble-text', { hasText: 'The user denied this tool call' }).waitFor({ timeout: 20_000 });
      // The reply lists its tool call with the approval's outcome.
      await reply.getByText('1 tool call: current_time').click();
      await reply.getByText('denied by user').waitFor();
      await page.screenshot({ path: resolve(shots, 'tool-approval-denied.png') });
      await context.close();
    },
  );
} finally {
  await browser.close();
  await harness.stop();
}
console.log(`${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed > 0 ? 1 : 0);
