/// <reference types="node" />
/**
 * The dashboard's main tasks driven by the keyboard alone (page.keyboard: Tab, Shift+Tab, Enter, Space, arrow keys;
 * no click, no fill): sign in, create a chatbot, edit and save its prompt, publish it, find a conversation and tag it.
 * Every element Tab lands on must show a focus indicator (WCAG 2.4.7): it matches :focus-visible and has an outline
 * or a box-shadow. The views reached this way are checked by axe-core as well (e2e/a11y.ts).
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible } from './a11y.ts';
import { newContext } from './browser.ts';
import { settled } from './dashboard-views.steps.ts';
import type { Step } from './steps.ts';

/** What Tab is looking for: a CSS selector the focused element matches, and (optionally) its accessible name. */
interface Target {
  css: string;
  name?: string | RegExp;
}

interface Focused {
  tag: string;
  name: string;
  matches: boolean;
  visible: boolean;
}

/** Every focus stop (by tag and name) that showed no focus indicator, over the whole run. */
const unmarked = new Set<string>();

/** The focused element, whether it matches `css`, its name, and whether it shows a focus indicator. */
function focused(page: Page, css: string): Promise<Focused | null> {
  return page.evaluate((selector) => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const labelled = el.getAttribute('aria-labelledby');
    const name = (
      el.getAttribute('aria-label') ??
      (labelled ? document.getElementById(labelled)?.textContent : null) ??
      [...((el as HTMLInputElement).labels ?? [])].map((l) => l.textContent).join(' ') ??
      ''
    ).trim();
    const style = getComputedStyle(el);
    const ring = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 1;
    return {
      tag: el.tagName.toLowerCase(),
      name: name || (el.textContent ?? '').trim().slice(0, 80),
      matches: el.matches(selector),
      visible: el.matches(':focus-visible') && (ring || style.boxShadow !== 'none'),
    };
  }, css);
}

/** Presses Tab (Shift+Tab when `back`) until the focused element is `target`; each stop must show its focus. */
async function tabTo(page: Page, target: Target, back = false, max = 80): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page, target.css);
    if (!now) continue;
    seen.push(`${now.tag} "${now.name}"`);
    if (!now.visible) unmarked.add(`${now.tag} "${now.name}"`);
    const named =
      target.name === undefined ||
      (typeof target.name === 'string' ? now.name === target.name : target.name.test(now.name));
    if (now.matches && named) return;
  }
  throw new Error(`Tab never reached ${target.css} ${String(target.name ?? '')}; passed ${seen.join(', ')}`);
}

export async function keyboardSteps(
  browser: Browser,
  dashboard: string,
  owner: { email: string; password: string },
  step: Step,
) {
  const context = await newContext(browser, { viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[keyboard page error]', error));
  const type = (text: string) => page.keyboard.type(text);
  const press = (key: string) => page.keyboard.press(key);

  try {
    await step('keyboard only: signs in', async () => {
      await page.goto(dashboard);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await tabTo(page, { css: 'input[name=email]' });
      await type(owner.email);
      await tabTo(page, { css: 'input[name=password]' });
      await type(owner.password);
      await press('Enter');
      await page.getByRole('heading', { name: 'Home' }).waitFor();
    });

    await step('keyboard only: creates a chatbot, writes its prompt and saves the draft', async () => {
      await tabTo(page, { css: 'nav a', name: 'Chatbots' });
      await press('Enter');
      await page.getByRole('heading', { name: 'Chatbots', level: 1 }).waitFor();
      await settled(page);
      await tabTo(page, { css: 'form[aria-label="New chatbot"] input[name=name]' });
      await type('Keyboard helper');
      await press('Enter');
      await page.getByRole('heading', { name: 'Keyboard helper', level: 1 }).waitFor();
      await settled(page);
      await tabTo(page, { css: 'textarea', name: /System prompt/ });
      await type('You answer in one sentence.');
      await tabTo(page, { css: 'button', name: 'Save draft' });
      await press('Space');
      await page.getByText('Draft saved').waitFor();
    });

    await step('keyboard only: publishes the draft from the Versions tab', async () => {
      await tabTo(page, { css: 'nav.tabs a', name: 'Versions' }, true);
      await press('Enter');
      await tabTo(page, { css: 'input', name: /Publish the draft with a note/ });
      await type('Keyboard release');
      await tabTo(page, { css: 'button', name: 'Publish' });
      await press('Enter');
      await page.getByText('Published: new conversations use it now.').waitFor();
      await page.getByRole('cell', { name: 'Keyboard release' }).waitFor();
      await assertAccessible(page, 'versions, after publishing by keyboard');
    });

    await step('keyboard only: finds the Returns helper conversation and tags it', async () => {
      await tabTo(page, { css: 'nav a', name: 'Conversations' }, true);
      await press('Enter');
      await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();
      await settled(page);
      // A closed <select> takes arrow keys: step down to the chatbot (the filter applies on change).
      await tabTo(page, { css: 'select', name: /Chatbot/ });
      for (let i = 0; i < 10; i++) {
        const label = await page.evaluate(() => {
          const select = document.activeElement as HTMLSelectElement;
          return select.selectedOptions[0]?.textContent ?? '';
        });
        if (label === 'Returns helper') break;
        await press('ArrowDown');
      }
      const row = page.getByRole('row').filter({ hasText: 'Returns helper' }).first();
      await row.waitFor();
      assert.equal(await page.getByRole('row').filter({ hasText: 'Demo assistant' }).count(), 0, 'the filter applied');
      await tabTo(page, { css: 'main tbody a' });
      await press('Enter');
      await page.getByRole('heading', { name: 'Conversation', level: 1 }).waitFor();
      await settled(page);
      await tabTo(page, { css: 'input', name: 'New tag for conversation tags' });
      await type('keyboard');
      await press('Enter');
      await page.getByRole('button', { name: 'Remove tag keyboard' }).waitFor();
      await assertAccessible(page, 'transcript, tagged by keyboard');
    });

    await step('keyboard only: every element Tab reached showed a focus indicator', async () => {
      assert.deepEqual([...unmarked], []);
    });
  } finally {
    await context.close();
  }
}
