/**
 * A small arithmetic evaluator for the built-in calculator tool: a hand-written recursive-descent parser (production
 * refuses `eval` and `new Function`, docs: platform-notes.md). Grammar, loosest first:
 *   expr   := term (('+' | '-') term)*
 *   term   := unary (('*' | '/' | '%') unary)*
 *   unary  := '-' unary | '+' unary | power
 *   power  := atom ('^' unary)?            (right-associative; -2^2 = -4, 2^-1 = 0.5)
 *   atom   := number | name '(' expr (',' expr)* ')' | name | '(' expr ')'
 */

/** Input length cap: an expression a model writes fits easily; longer input is refused before parsing. */
export const MAX_EXPRESSION_CHARS = 500;
/** Nesting cap, so a pathological `((((…` cannot exhaust the stack. */
const MAX_DEPTH = 100;

export type CalcResult = { ok: true; value: number } | { ok: false; error: string };

class CalcError extends Error {}

const FUNCTIONS: ReadonlyMap<string, { min: number; max: number; fn: (...args: number[]) => number }> = new Map([
  ['sqrt', { min: 1, max: 1, fn: (x: number) => (x < 0 ? fail('sqrt of a negative number') : Math.sqrt(x)) }],
  ['abs', { min: 1, max: 1, fn: Math.abs }],
  ['round', { min: 1, max: 2, fn: (x: number, digits = 0) => roundTo(x, digits) }],
  ['floor', { min: 1, max: 1, fn: Math.floor }],
  ['ceil', { min: 1, max: 1, fn: Math.ceil }],
  ['min', { min: 1, max: 100, fn: Math.min }],
  ['max', { min: 1, max: 100, fn: Math.max }],
  ['ln', { min: 1, max: 1, fn: (x: number) => (x <= 0 ? fail('ln of a number ≤ 0') : Math.log(x)) }],
  ['log10', { min: 1, max: 1, fn: (x: number) => (x <= 0 ? fail('log10 of a number ≤ 0') : Math.log10(x)) }],
]);

const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
]);

function fail(message: string): never {
  throw new CalcError(message);
}

function roundTo(x: number, digits: number): number {
  if (!Number.isInteger(digits) || digits < 0 || digits > 15) fail('round digits must be an integer from 0 to 15');
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function checked(value: number): number {
  if (Number.isNaN(value)) fail('the result is not a number');
  if (!Number.isFinite(value)) fail('overflow: the result is too large');
  return value;
}

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly src: string) {}

  parse(): number {
    const value = this.expr();
    this.skip();
    if (this.pos < this.src.length) fail(`unexpected "${this.src[this.pos]}" at position ${this.pos + 1}`);
    return value;
  }

  private skip(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos] ?? '')) this.pos++;
  }

  private peek(): string {
    this.skip();
    return this.src[this.pos] ?? '';
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) fail(`expression nested deeper than ${MAX_DEPTH}`);
  }

  private expr(): number {
    this.enter();
    let value = this.term();
    for (let op = this.peek(); op === '+' || op === '-'; op = this.peek()) {
      this.pos++;
      const right = this.term();
      value = checked(op === '+' ? value + right : value - right);
    }
    this.depth--;
    return value;
  }

  private term(): number {
    let value = this.unary();
    for (let op = this.peek(); op === '*' || op === '/' || op === '%'; op = this.peek()) {
      this.pos++;
      const right = this.unary();
      if ((op === '/' || op === '%') && right === 0) fail('division by zero');
      value = checked(op === '*' ? value * right : op === '/' ? value / right : value % right);
    }
    return value;
  }

  private unary(): number {
    const c = this.peek();
    if (c === '-' || c === '+') {
      this.pos++;
      this.enter();
      const value = this.unary();
      this.depth--;
      return c === '-' ? -value : value;
    }
    return this.power();
  }

  private power(): number {
    const base = this.atom();
    if (this.peek() !== '^') return base;
    this.pos++;
    this.enter();
    const exponent = this.unary();
    this.depth--;
    return checked(base ** exponent);
  }

  private atom(): number {
    const c = this.peek();
    if (c === '(') {
      this.pos++;
      const value = this.expr();
      if (this.peek() !== ')') fail(`missing ")" at position ${this.pos + 1}`);
      this.pos++;
      return value;
    }
    const number = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(this.src.slice(this.pos));
    if (number) {
      this.pos += number[0].length;
      return checked(Number(number[0]));
    }
    const name = /^[a-zA-Z][a-zA-Z0-9]*/.exec(this.src.slice(this.pos));
    if (name) {
      this.pos += name[0].length;
      return this.named(name[0].toLowerCase());
    }
    if (c === '') fail('unexpected end of expression');
    return fail(`unexpected "${c}" at position ${this.pos + 1}`);
  }

  private named(name: string): number {
    const fn = FUNCTIONS.get(name);
    if (!fn) {
      const constant = CONSTANTS.get(name);
      if (constant === undefined) fail(`unknown name "${name}"`);
      return constant;
    }
    if (this.peek() !== '(') fail(`${name} needs arguments in parentheses`);
    this.pos++;
    const args = [this.expr()];
    while (this.peek() === ',') {
      this.pos++;
      args.push(this.expr());
    }
    if (this.peek() !== ')') fail(`missing ")" after the arguments of ${name}`);
    this.pos++;
    if (args.length < fn.min || args.length > fn.max) {
      fail(`${name} takes ${fn.min === fn.max ? fn.min : `${fn.min} to ${fn.max}`} argument(s), got ${args.length}`);
    }
    return checked(fn.fn(...args));
  }
}

/** Evaluates an arithmetic expression; never throws: a bad expression is `{ ok: false, error }`. */
export function evaluate(expression: string): CalcResult {
  if (expression.length > MAX_EXPRESSION_CHARS) {
    return { ok: false, error: `expression longer than ${MAX_EXPRESSION_CHARS} characters` };
  }
  if (expression.trim() === '') return { ok: false, error: 'empty expression' };
  try {
    const value = new Parser(expression).parse();
    return { ok: true, value: Object.is(value, -0) ? 0 : value };
  } catch (error) {
    if (error instanceof CalcError) return { ok: false, error: error.message };
    throw error;
  }
}
