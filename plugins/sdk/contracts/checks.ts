/**
 * Which checks a contract suite registers, and why it leaves the others out. A check that does not apply to a
 * plugin (vision for a text-only model, `edit` for a platform that cannot edit) is never registered, so no test is
 * reported as skipped; instead the suite records `{ check, reason }` and ends with one test that lists them, as
 * Hono's router `common.case.test.ts` names each case a router does not support together with its reason.
 */
import { expect, it } from 'vitest';

export interface OmittedCheck {
  /** The check's test name, exactly as it would have been registered. */
  check: string;
  /** Why it does not apply to this plugin, naming the capability or option that decides it. */
  reason: string;
}

export interface ContractChecks {
  /** Every check left out so far (complete once the suite's `describe` has been collected). */
  readonly omitted: OmittedCheck[];
  /** Registers `name` when `applies`; otherwise records it as omitted because of `reason`. */
  when(applies: boolean, reason: string): (name: string, fn: () => unknown) => void;
  /** Registers the closing test: every omission states a reason, and the list is printed with the suite's output. */
  report(suite: string): void;
}

export function contractChecks(): ContractChecks {
  const omitted: OmittedCheck[] = [];
  return {
    omitted,
    when: (applies, reason) => (name, fn) => {
      if (applies) it(name, fn as () => Promise<void>);
      else omitted.push({ check: name, reason });
    },
    report(suite) {
      // Named without the count: nested `describe`s are collected after this test is registered.
      it('states a reason for each check it leaves out', () => {
        for (const { check, reason } of omitted) expect(reason.trim(), `reason for "${check}"`).not.toBe('');
        const checks = omitted.map(({ check }) => check);
        expect(new Set(checks).size, 'each check omitted once').toBe(checks.length);
        if (omitted.length > 0) {
          console.info(
            `${suite} leaves out:\n${omitted.map(({ check, reason }) => `  - ${check}: ${reason}`).join('\n')}`,
          );
        }
      });
    },
  };
}
