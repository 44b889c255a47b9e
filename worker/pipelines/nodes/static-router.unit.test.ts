import { describe, expect, it } from 'vitest';
import { pipeline, runTest } from '../testing.ts';
import { matches, staticRouterKind } from './static-router.ts';

const rule = (operator: string, value?: unknown) => ({ port: 'hit', operator, value }) as Parameters<typeof matches>[1];

describe('static router rules', () => {
  it.each([
    ['equals', 'Yes', 'yes', false, true],
    ['equals', 'Yes', 'yes', true, false],
    ['equals', 5, '5', false, true],
    ['not_equals', 'a', 'b', false, true],
    ['contains', 'I want a refund now', 'REFUND', false, true],
    ['contains', ['red', 'Blue'], 'blue', false, true],
    ['contains', ['red'], 'blue', false, false],
    ['regex', 'order #12345', '#\\d{5}$', false, true],
    ['regex', 'ORDER', '^order$', true, false],
    ['one_of', 'Maybe', ['yes', 'maybe'], false, true],
    ['one_of', 'no', ['yes', 'maybe'], false, false],
    ['gt', '10', 9, false, true],
    ['gte', 9, 9, false, true],
    ['lt', 'ten', 11, false, false],
    ['lte', ' 3 ', 3, false, true],
    ['gt', '', -1, false, false],
    ['exists', 'x', undefined, false, true],
    ['exists', '', undefined, false, false],
    ['exists', null, undefined, false, false],
  ] as const)('%s(%j, %j) case-sensitive=%s → %s', (operator, subject, value, caseSensitive, expected) => {
    expect(matches(subject as never, rule(operator, value), caseSensitive)).toBe(expected);
  });

  it('settings: rules need a value of the right type, regexes must compile and be short, non-input sources need a key', () => {
    const parse = (settings: unknown) =>
      staticRouterKind.settings.safeParse(settings).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    const base = { source: 'input', defaultPort: 'other' };
    expect(parse({ ...base, rules: [rule('gt', 'x')] })).toEqual([['rules.0.value', 'gt needs a number']]);
    expect(parse({ ...base, rules: [rule('one_of', 'x')] })).toEqual([
      ['rules.0.value', 'one_of needs a list of values'],
    ]);
    expect(parse({ ...base, rules: [rule('regex', 'a'.repeat(201))] })).toEqual([
      ['rules.0.value', 'a pattern of at most 200 characters'],
    ]);
    expect(parse({ ...base, rules: [rule('regex', '[')] })?.[0]?.[0]).toBe('rules.0.value');
    expect(parse({ ...base, source: 'session', rules: [rule('exists')] })).toEqual([
      ['key', 'a key is required unless the source is the input'],
    ]);
  });

  it('ports are the rules’ ports then the default, each once', () => {
    const settings = staticRouterKind.settings.parse({
      source: 'input',
      rules: [rule('equals', 'a'), { ...rule('equals', 'b'), port: 'b' }, rule('equals', 'c')],
      defaultPort: 'b',
    });
    expect(staticRouterKind.ports(settings)).toEqual(['hit', 'b']);
  });

  it('first matching rule wins; the input passes through on the chosen port', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        [
          'r',
          'static_router',
          {
            source: 'input',
            rules: [
              { port: 'first', operator: 'contains', value: 'a' },
              { port: 'second', operator: 'contains', value: 'ab' },
            ],
            defaultPort: 'none',
          },
        ],
        ['end', 'end'],
      ],
      ['start - r', 'r:first - end', 'r:second - end', 'r:none - end'],
    );
    const { run, replies } = await runTest(definition, { input: 'abc' });
    expect(run.trace.find((entry) => entry.nodeId === 'r')?.port).toBe('first');
    expect(replies).toEqual(['abc']);
  });
});
