/// <reference types="node" />
/**
 * The pipeline editor's steps alone (the same ones e2e/dashboard.e2e.ts runs inside the full story): for iterating on
 * the editor without the rest of the dashboard run. Signs in as the seeded owner, then runs e2e/pipeline-editor.steps.ts.
 * Usage: `tsx e2e/pipeline-editor.e2e.ts` (needs /usr/bin/chromium or CHROMIUM_PATH).
 */
import { resolve } from 'node:path';
import { root } from '../scripts/build-ui.ts';
import { assertNoRecordedViolations, axeSummary, recordAccessibility } from './a11y.ts';
import { launch, newContext } from './browser.ts';
import { startHarness } from './harness.ts';
import { pipelineEditorSteps, recordFrameTimes } from './pipeline-editor.steps.ts';
import { stepRunner } from './steps.ts';

const harness = await startHarness();
const browser = await launch();
const { step, tally } = stepRunner();
try {
  const context = await newContext(browser, { viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error));
  const shot = async (name: string) => {
    await page.screenshot({ path: resolve(root, 'docs/screenshots', `dashboard-${name}.png`) });
    await recordAccessibility(page, name);
  };
  const dashboard = `${harness.api}/dashboard/`;
  await step('signs in', async () => {
    await page.goto(dashboard);
    await page.getByLabel('Email').fill(harness.owner.email);
    await page.getByLabel('Password').fill(harness.owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Home' }).waitFor();
  });
  const { frames } = await pipelineEditorSteps(browser, page, dashboard, step, shot, harness);
  if (frames && process.env.RECORD_FRAMES === '1') await recordFrameTimes(frames);
  await step('every view passed axe', async () => assertNoRecordedViolations());
} finally {
  await browser.close();
  await harness.stop();
}
console.log(`\n${axeSummary()}\n\n${tally.passed} passed, ${tally.failed} failed`);
if (tally.failed > 0) process.exitCode = 1;
