import { describe, expect, it } from 'vitest';
import { runNodeContract } from '../../sdk/contracts/node.contract.ts';
import { parseTemplate, renderTemplate } from '../../sdk/index.ts';
import { runNodeKind } from '../../sdk/testing/node-harness.ts';
import { templateNode } from './index.ts';
import { templateKind } from './template.ts';

runNodeContract(templateNode, {
  examples: [
    { settings: { template: 'You said {{ input }}' } },
    {
      settings: {
        template: '{% for v in node_inputs %}{{ v }};{% endfor %}{{ session_state.mood }}',
        maxOutputChars: 100,
      },
    },
  ],
  invalidSettings: [
    { settings: { template: '' }, why: 'an empty template' },
    { settings: { template: '{% if %}' }, why: 'a template that does not parse' },
    { settings: { template: 'x', maxOutputChars: 0 }, why: 'an output cap of at least 1' },
    { settings: { template: 'x', extra: 1 }, why: 'unknown settings' },
  ],
});

const render = (
  source: string,
  variables: Record<string, unknown> = {},
  limits?: Parameters<typeof renderTemplate>[2],
) => renderTemplate(parseTemplate(source), variables, limits);

describe('template rendering', () => {
  it('loops, conditionals, filters, dict access and defaults (OCS-style templates)', () => {
    const source =
      '{% for item in items %}{{ loop.index }}. {{ item.name | upper }}{% if item.qty > 1 %} x{{ item.qty }}{% endif %}; {% endfor %}' +
      "{{ participant_data.get('name', 'friend') }} / {{ missing | default('none') }}";
    const items = [
      { name: 'tea', qty: 2 },
      { name: 'cake', qty: 1 },
    ];
    expect(render(source, { items, participant_data: {} })).toBe('1. TEA x2; 2. CAKE; friend / none');
  });

  it('caps the output size', () => {
    expect(() =>
      render('{% for i in range(100) %}0123456789{% endfor %}', {}, { maxOutputChars: 500, maxSteps: 20_000 }),
    ).toThrow('template output would exceed 500 characters');
  });

  it('caps interpreter steps, so nested loops cannot run away', () => {
    // Empty bodies on purpose: an iteration that evaluates nothing must still count.
    const source = '{% for a in range(1000) %}{% for b in range(1000) %}{% endfor %}{% endfor %}';
    expect(() => render(source)).toThrow('template stopped after 20000 steps');
  });

  it('caps range() before it allocates', () => {
    expect(() => render('{{ range(100000000) | length }}')).toThrow('range() may produce at most 10000 numbers');
    expect(render('{{ range(2, 8, 3) | join(",") }}')).toBe('2,5');
  });

  it('caps intermediate strings (doubling in a loop)', () => {
    const source =
      "{% set ns = namespace(s='xxxxxxxxxx') %}{% for i in range(30) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}";
    expect(() => render(source)).toThrow('template output would exceed');
  });

  it('caps macro recursion depth', () => {
    expect(() => render('{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}')).toThrow(
      /nests deeper than 200 levels|stopped after/,
    );
  });

  it('refuses a malformed template in the settings', () => {
    const parsed = templateKind.settings.safeParse({ template: '{% for x in %}' });
    expect(parsed.success).toBe(false);
  });
});

describe('template as a node', () => {
  it('sees input, node_inputs, temp_state, session_state and participant_data', async () => {
    const result = await runNodeKind(templateKind, {
      settings: {
        template:
          '{{ input }}|{{ node_inputs | length }}|{{ temp_state.topic }}|{{ session_state.mood }}|{{ participant_data.name }}',
      },
      inputs: [
        { from: 'a', port: 'out', value: 'first' },
        { from: 'b', port: 'out', value: 'Hi' },
      ],
      state: { run: { topic: 'tea' }, session: { mood: 'calm' }, participant: { name: 'Ada' } },
    });
    expect(result.output).toBe('Hi|2|tea|calm|Ada');
  });

  it('fails with a non-retryable NodeError naming the template for errors of the template itself', async () => {
    await expect(runNodeKind(templateKind, { settings: { template: '{{ nothing + 1 }}' } })).rejects.toMatchObject({
      name: 'NodeError',
      retryable: false,
      message: 'template: Cannot perform operation + on undefined values',
    });
  });

  it("applies the node's own output cap", async () => {
    await expect(
      runNodeKind(templateKind, { settings: { template: '{{ input }}{{ input }}', maxOutputChars: 5 }, input: 'abcd' }),
    ).rejects.toThrow('template output would exceed 5 characters');
  });
});
