import { describe, expect, it } from 'vitest';
import { runNodeContract } from '../../sdk/contracts/node.contract.ts';
import { fakeNodeServices, runNodeKind } from '../../sdk/testing/node-harness.ts';
import { staticRouterNode } from './index.ts';
import { matches, staticRouterKind } from './static-router.ts';

runNodeContract(staticRouterNode, {
  examples: [
    {
      settings: { source: 'input', rules: [{ port: 'yes', operator: 'equals', value: 'Hi' }], defaultPort: 'no' },
      input: 'hi',
    },
    {
      settings: {
        source: 'session',
        key: 'tier',
        rules: [{ port: 'vip', operator: 'one_of', value: ['gold'] }],
        defaultPort: 'std',
        tagRoute: true,
      },
    },
  ],
  invalidSettings: [
    { settings: { source: 'input', rules: [], defaultPort: 'x' }, why: 'at least one rule' },
    {
      settings: { source: 'run', rules: [{ port: 'a', operator: 'exists' }], defaultPort: 'x' },
      why: 'a key for a state source',
    },
    {
      settings: { source: 'input', rules: [{ port: 'a', operator: 'regex', value: '(' }], defaultPort: 'x' },
      why: 'the regex must compile',
    },
    {
      settings: { source: 'input', rules: [{ port: 'a b', operator: 'exists' }], defaultPort: 'x' },
      why: 'ports are edge-safe names',
    },
  ],
});

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
});

describe('static router as a node', () => {
  it('routes on a state key, passes its input through and tags the reply with node:port', async () => {
    const result = await runNodeKind(staticRouterKind, {
      settings: {
        source: 'participant',
        key: 'tier',
        rules: [{ port: 'vip', operator: 'equals', value: 'GOLD' }],
        defaultPort: 'std',
        tagRoute: true,
      },
      input: 'help',
      state: { participant: { tier: 'gold' } },
      services: fakeNodeServices(),
    });
    expect(result.routes).toEqual(['vip']);
    expect(result.output).toBe('help');
    expect(result.tags).toEqual([{ name: 'node:vip', scope: 'reply' }]);
  });

  it('falls back to the default port when no rule matches (a missing key included)', async () => {
    const result = await runNodeKind(staticRouterKind, {
      settings: { source: 'run', key: 'nope', rules: [{ port: 'a', operator: 'exists' }], defaultPort: 'other' },
    });
    expect(result.routes).toEqual(['other']);
    expect(result.tags).toEqual([]);
  });
});
