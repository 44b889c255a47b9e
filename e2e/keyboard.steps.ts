/// <reference types="node" />
/**
 * The dashboard's main tasks driven by the keyboard alone (page.keyboard: Tab, Shift+Tab, Enter, Space, arrow keys,
 * Escape; no click, no fill): sign in, create a chatbot, edit and save its prompt, publish it, find a conversation and
 * tag it and one of its replies.
 * Every element Tab lands on must show a focus indicator (WCAG 2.4.7): it matches :focus-visible and has an outline
 * or a box-shadow. The views reached this way are checked by axe-core as well (e2e/a11y.ts).
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { root } from '../scripts/build-ui.ts';
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
  /** Outline and box-shadow as computed, for the report when there is no indicator. */
  style: string;
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
    // Chromium's date input has a last Tab stop inside its own (closed, user-agent) shadow root: the calendar button.
    // The input then matches neither :focus nor :focus-visible, and the ring the browser draws around the button
    // (a 2 px black frame, seen in a screenshot) is not in any style the page can read: count it as the browser's.
    if (el.matches('input[type=date]') && !el.matches(':focus'))
      return { tag: 'input', name: 'calendar button', matches: false, visible: true, style: 'user-agent ring' };
    const ring = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 1;
    return {
      tag: el.tagName.toLowerCase(),
      name: name || (el.textContent ?? '').trim().slice(0, 80),
      matches: el.matches(selector),
      visible: el.matches(':focus-visible') && (ring || style.boxShadow !== 'none'),
      style: `focus-visible ${el.matches(':focus-visible')}, outline ${style.outline}, box-shadow ${style.boxShadow}`,
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
    if (!now.visible) unmarked.add(`${now.tag} "${now.name}" (${now.style})`);
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
      await page.screenshot({ path: resolve(root, 'docs/screenshots/dashboard-keyboard-focus.png') });
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
      // A message's tag input opens from "Add tag" with focus in it; adding a tag or Escape closes it and focus goes
      // back to "Add tag", not to the top of the page.
      const onAddTag = () =>
        page.evaluate(() => document.activeElement?.textContent === 'Add tag' && document.activeElement.tagName);
      const inTagInput = () =>
        page.waitForFunction(() => document.activeElement?.matches('.message input[name=tag]') ?? false);
      await tabTo(page, { css: '.message.assistant button', name: 'Add tag' });
      await press('Enter');
      // The input takes focus once it has rendered (an effect after the click): type when it has, as a person would.
      await inTagInput();
      await type('kb-reply');
      await press('Enter');
      await page.getByRole('button', { name: 'Remove tag kb-reply' }).waitFor();
      await page.waitForFunction(() => document.activeElement?.textContent === 'Add tag');
      assert.equal(await onAddTag(), 'BUTTON', 'focus returns to Add tag after adding one');
      await press('Enter');
      await inTagInput();
      assert.match((await focused(page, 'input'))?.name ?? '', /^New tag for tags of message/);
      await press('Escape');
      await page.waitForFunction(() => document.activeElement?.textContent === 'Add tag', null, { timeout: 5000 });
      assert.equal(await onAddTag(), 'BUTTON', 'Escape closes the tag input and returns focus to Add tag');
      await assertAccessible(page, 'transcript, tagged by keyboard');
    });

    await step('keyboard only: every element Tab reached showed a focus indicator', async () => {
      assert.deepEqual([...unmarked], []);
    });
  } finally {
    await context.close();
  }
}
