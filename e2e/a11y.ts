/// <reference types="node" />
/**
 * The accessibility check both e2e runs apply to every view they visit: axe-core (the engine behind Lighthouse's and
 * Deque's audits) injected into the page as it is, run against the WCAG 2.0, 2.1 and 2.2 A and AA rules. A view fails
 * on any `serious` or `critical` violation, and on the moderate best-practice rules issue 20 names (a second banner
 * landmark from the widget on a host page, landmarks without unique names, table headers with no text). Everything
 * else axe reports is counted in the run's summary, not failed on.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The success criteria axe maps to these tags are WCAG 2.2 AA's (axe-core docs: "Axe-core Tags"). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;
/** Best-practice rules (tagged neither A nor AA) that a view must still pass, at whatever impact axe gives them. */
export const REQUIRED_RULES = ['landmark-no-duplicate-banner', 'landmark-unique', 'empty-table-header'] as const;
const FAILING_IMPACTS = new Set(['serious', 'critical']);

export interface Violation {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Per run: which views were checked, recorded failures, and the violations under the failing bar (reported only). */
export const axeTally = { views: [] as string[], failed: [] as string[], tolerated: new Map<string, number>() };

/** Runs axe on what `page` shows now (shadow roots included) and returns the violations that fail the view. */
export async function axeViolations(page: Page): Promise<{ failing: Violation[]; other: Violation[] }> {
  // Evaluated over the DevTools protocol, which the page's Content-Security-Policy (script-src 'self') does not cover;
  // a <script> tag would be refused and reported as a CSP violation.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const rules = Object.fromEntries(REQUIRED_RULES.map((id) => [id, { enabled: true }]));
  const results = (await page.evaluate(
    ([tags, enabled]) =>
      (
        window as unknown as {
          axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> };
        }
      ).axe.run(document, { runOnly: { type: 'tag', values: tags }, rules: enabled, resultTypes: ['violations'] }),
    [[...WCAG_TAGS], rules] as const,
  )) as {
    violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
  };
  const all: Violation[] = results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    // A target is a selector per frame; inside a shadow root, a list of selectors from the host inwards.
    targets: v.nodes.map((n) =>
      n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(' in frame '),
    ),
  }));
  const fails = (v: Violation) =>
    FAILING_IMPACTS.has(v.impact) || (REQUIRED_RULES as readonly string[]).includes(v.rule);
  return { failing: all.filter(fails), other: all.filter((v) => !fails(v)) };
}

/** Checks the view and returns the report of its failing violations (rule, view, selectors), or null. */
async function check(page: Page, view: string): Promise<string | null> {
  const { failing, other } = await axeViolations(page);
  axeTally.views.push(view);
  for (const v of other) axeTally.tolerated.set(v.rule, (axeTally.tolerated.get(v.rule) ?? 0) + v.targets.length);
  if (failing.length === 0) return null;
  const lines = failing.map(
    (v) =>
      `  ${v.rule} (${v.impact}) in "${view}": ${v.help}\n${v.targets
        .slice(0, 10)
        .map((t) => `    ${t}`)
        .join('\n')}${v.targets.length > 10 ? `\n    … and ${v.targets.length - 10} more` : ''}`,
  );
  return `axe: ${failing.length} failing rule(s) in "${view}"\n${lines.join('\n')}`;
}

/** Throws, naming rule, view and selectors, when the view has a failing violation. */
export async function assertAccessible(page: Page, view: string): Promise<void> {
  const report = await check(page, view);
  if (report) throw new Error(report);
}

/**
 * Checks the view but only records a failure, for views shown in the middle of a story (a throw there would fail
 * every later step that depends on it): `assertNoRecordedViolations` fails the run's last step with all of them.
 */
export async function recordAccessibility(page: Page, view: string): Promise<void> {
  const report = await check(page, view);
  if (report) {
    axeTally.failed.push(report);
    console.error(report);
  }
}

export function assertNoRecordedViolations(): void {
  if (axeTally.failed.length) throw new Error(axeTally.failed.join('\n'));
}

/** One line for the run's summary: how many views passed, and what axe reported below the failing bar. */
export function axeSummary(): string {
  const tolerated = [...axeTally.tolerated].map(([rule, n]) => `${rule} ×${n}`).join(', ') || 'none';
  return `axe-core (WCAG 2.2 AA): ${axeTally.views.length} views checked; below the failing bar: ${tolerated}`;
}
