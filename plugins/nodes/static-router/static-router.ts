import { z } from 'zod';
import {
  asText,
  defineNodeKind,
  type JsonValue,
  MAX_TAG_CHARS,
  portName,
  stateKey,
  stateScopes,
} from '../../sdk/index.ts';

export const routerOperators = [
  'equals',
  'not_equals',
  'contains',
  'regex',
  'one_of',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
] as const;

// JavaScript regexes have no time limit: short patterns over a bounded subject keep a bad pattern's cost bounded.
const MAX_PATTERN_CHARS = 200;
const MAX_SUBJECT_CHARS = 10_000;

const rule = z
  .strictObject({
    port: portName,
    operator: z.enum(routerOperators),
    value: z.union([z.string().max(1_000), z.number().finite(), z.array(z.string().max(1_000)).max(50)]).optional(),
  })
  .superRefine((rule, ctx) => {
    const issue = ruleIssue(rule);
    if (issue) ctx.addIssue({ code: 'custom', path: ['value'], message: issue });
  });

type Rule = z.infer<typeof rule>;

function ruleIssue({ operator, value }: Rule): string | null {
  if (operator === 'exists') return value === undefined ? null : 'exists takes no value';
  if (operator === 'one_of') return Array.isArray(value) ? null : 'one_of needs a list of values';
  if (['gt', 'gte', 'lt', 'lte'].includes(operator))
    return typeof value === 'number' ? null : `${operator} needs a number`;
  if (typeof value !== 'string' && typeof value !== 'number') return `${operator} needs a value`;
  if (operator !== 'regex') return null;
  if (typeof value !== 'string' || value.length > MAX_PATTERN_CHARS)
    return `a pattern of at most ${MAX_PATTERN_CHARS} characters`;
  try {
    new RegExp(value);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : 'invalid regular expression';
  }
}

const settings = z
  .strictObject({
    /** What to route on: the node's input, or a key of the run, session state or participant data. */
    source: z.enum(['input', ...stateScopes]),
    key: stateKey.optional(),
    /** Checked in order; the first that matches picks its port. */
    rules: z.array(rule).min(1).max(20),
    defaultPort: portName,
    /** Off by default, like OCS's static router (test_static_router_case_sensitive). */
    caseSensitive: z.boolean().optional(),
    /** Tags the reply `<node id>:<port>`. */
    tagRoute: z.boolean().optional(),
  })
  .refine((value) => value.source === 'input' || value.key !== undefined, {
    path: ['key'],
    message: 'a key is required unless the source is the input',
  });

type Settings = z.infer<typeof settings>;

/** Whether the source value matches one rule. */
export function matches(subject: JsonValue | undefined, { operator, value }: Rule, caseSensitive: boolean): boolean {
  if (operator === 'exists') return subject !== undefined && subject !== null && subject !== '';
  if (operator === 'gt' || operator === 'gte' || operator === 'lt' || operator === 'lte') {
    const number = typeof subject === 'number' ? subject : Number(asText(subject).trim() || Number.NaN);
    if (!Number.isFinite(number) || typeof value !== 'number') return false;
    if (operator === 'gt') return number > value;
    if (operator === 'gte') return number >= value;
    if (operator === 'lt') return number < value;
    return number <= value;
  }
  const fold = (text: string) => (caseSensitive ? text : text.toLowerCase());
  const text = fold(asText(subject).slice(0, MAX_SUBJECT_CHARS));
  const wanted = Array.isArray(value) ? value.map(fold) : fold(String(value ?? ''));
  switch (operator) {
    case 'equals':
      return text === wanted;
    case 'not_equals':
      return text !== wanted;
    case 'one_of':
      return Array.isArray(wanted) && wanted.includes(text);
    case 'contains':
      // A list contains an element equal to the value; text contains the value as a substring.
      return Array.isArray(subject)
        ? subject.some((item) => fold(asText(item)) === wanted)
        : text.includes(String(wanted));
    case 'regex':
      return new RegExp(String(value), caseSensitive ? '' : 'i').test(text);
  }
}

export const staticRouterKind = defineNodeKind({
  id: 'static_router',
  displayName: 'Static router',
  description:
    'Routes on a value (its input, or a key of the run, session state or participant data) by equals, not_equals, contains, regex, one_of, gt/gte/lt/lte or exists; the first matching rule wins, else the default port.',
  settings,
  defaults: { source: 'input', rules: [{ port: 'match', operator: 'contains', value: 'help' }], defaultPort: 'other' },
  inputs: 'any value',
  output: 'its input, unchanged, on the chosen port',
  acceptsInput: true,
  ports: (value: Settings) => [...new Set([...value.rules.map((rule) => rule.port), value.defaultPort])],
  routes: true,
  silent: true,
  run: (ctx) => {
    const { source, key, rules, defaultPort, caseSensitive = false, tagRoute } = ctx.settings;
    const subject = source === 'input' ? ctx.input : ctx.state.get(source, key ?? '');
    const port = rules.find((rule) => matches(subject, rule, caseSensitive))?.port ?? defaultPort;
    ctx.route(port);
    // Node ids and ports are at most 40 characters each; a tag at most 50 (MAX_TAG_CHARS).
    if (tagRoute) ctx.tag(`${ctx.nodeId}:${port}`.slice(0, MAX_TAG_CHARS), 'reply');
    return ctx.input;
  },
});
