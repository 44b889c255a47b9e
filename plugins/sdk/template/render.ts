import { Environment, Interpreter, Template } from '@huggingface/jinja';
import { NodeError } from '../node/kind.ts';

/**
 * Jinja templates through @huggingface/jinja: an interpreter over its own AST, so it never calls `eval` or
 * `new Function` (Workers refuse both; nunjucks compiles with `new Function` and fails under `wrangler dev`,
 * ../shared/research/m2-architecture.md §1.4). The caps below are counted work, not time: `Date.now()` stands still
 * during CPU work when deployed, so a clock-based guard would never fire there.
 */
export interface TemplateLimits {
  /** Characters of the rendered text. */
  maxOutputChars: number;
  /** Interpreter steps (one per expression or statement evaluated): bounds loops, macros and filters alike. */
  maxSteps: number;
}

// A 100-item loop with a few expressions per item takes under 2,000 steps. The interpreter is slow per loop
// iteration (it builds an environment each time): 10,000 steps measured 0.1–0.7 s of CPU on a loaded 2-core machine,
// so 20,000 gives typical templates 10× room while bounding a runaway one to well under a second.
export const DEFAULT_TEMPLATE_LIMITS: TemplateLimits = { maxOutputChars: 8_000, maxSteps: 20_000 };
// `range()` builds its whole list at once, before any step is counted; no template loop needs more than this.
const MAX_RANGE = 10_000;
// Nested macro calls; deeper recursion would exhaust the JavaScript stack with a less clear error.
const MAX_DEPTH = 200;
// No intermediate string may grow far past what the output may hold (e.g. `{% set s = s ~ s %}` in a loop).
const MAX_INTERMEDIATE_FACTOR = 4;

type Statement = Parameters<Interpreter['evaluate']>[0];
type Value = ReturnType<Interpreter['evaluate']>;

/** Counts every evaluation and refuses oversized strings, so no template runs away. */
class BoundedInterpreter extends Interpreter {
  private steps = 0;
  private depth = 0;

  constructor(
    env: Environment,
    private readonly limits: TemplateLimits,
  ) {
    super(env);
    // A loop iteration with an empty body evaluates no statement, so `evaluate` alone would not see it: count each
    // body run too. `evaluateBlock` is private in the typings, hence the cast; the exact version pin and the
    // nested-empty-loop test keep this honest across upgrades.
    const self = this as unknown as { evaluateBlock(...args: unknown[]): unknown };
    const evaluateBlock = self.evaluateBlock.bind(this);
    self.evaluateBlock = (...args) => {
      this.step();
      return evaluateBlock(...args);
    };
  }

  private step(): void {
    if (++this.steps > this.limits.maxSteps)
      throw new NodeError(`template stopped after ${this.limits.maxSteps} steps (a loop or macro runs too long)`);
  }

  override evaluate(statement: Statement, environment: Environment): Value {
    this.step();
    if (++this.depth > MAX_DEPTH) throw new NodeError(`template nests deeper than ${MAX_DEPTH} levels`);
    try {
      const value = super.evaluate(statement, environment);
      if (typeof value.value === 'string' && value.value.length > this.limits.maxOutputChars * MAX_INTERMEDIATE_FACTOR)
        throw new NodeError(`template output would exceed ${this.limits.maxOutputChars} characters`);
      return value;
    } finally {
      this.depth--;
    }
  }
}

function boundedRange(start: number, stop?: number, step = 1): number[] {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new NodeError('range() step must not be zero');
  const count = Math.max(0, Math.ceil((to - from) / step));
  if (count > MAX_RANGE) throw new NodeError(`range() may produce at most ${MAX_RANGE} numbers`);
  return Array.from({ length: count }, (_, i) => from + i * step);
}

// Parsed templates by source: a Durable Object runs the same few templates every turn. Bounded so many versions
// of many pipelines cannot grow it without end (oldest entry dropped first).
const parsed = new Map<string, Template>();
const MAX_PARSED = 100;

/** Parses (once per source); throws with the position when the template is malformed. */
export function parseTemplate(source: string): Template {
  let template = parsed.get(source);
  if (!template) {
    template = new Template(source);
    if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value as string);
    parsed.set(source, template);
  }
  return template;
}

export function renderTemplate(
  template: Template,
  variables: Record<string, unknown>,
  limits: TemplateLimits = DEFAULT_TEMPLATE_LIMITS,
): string {
  const env = new Environment();
  // The globals Template.render sets (setupGlobals), with range() bounded and no raise_exception or clock.
  for (const [name, value] of Object.entries({
    true: true,
    false: false,
    none: null,
    True: true,
    False: false,
    None: null,
  }))
    env.set(name, value);
  env.set('range', boundedRange);
  for (const [name, value] of Object.entries(variables)) env.set(name, value);
  const result = new BoundedInterpreter(env, limits).run(template.parsed);
  const text = String(result.value ?? '');
  if (text.length > limits.maxOutputChars)
    throw new NodeError(`template output would exceed ${limits.maxOutputChars} characters`);
  return text;
}
