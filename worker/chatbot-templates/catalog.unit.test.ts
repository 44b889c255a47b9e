import { describe, expect, it } from 'vitest';
import { registry } from '../../plugins/registry.ts';
import type { NodeKind } from '../pipelines/node-kind.ts';
import { builtinKinds } from '../pipelines/nodes/index.ts';
import { runTest } from '../pipelines/testing.ts';
import { validatePipeline } from '../pipelines/validate.ts';
import { chatbotTemplates, findTemplate, modelNodeIndexes, withModel } from './catalog.ts';
import { type SentEmail, standInKinds } from './testing.ts';

/**
 * The engine's built-in kinds and every installed node plugin's kind, as drafts are validated against them. A kind
 * whose plugin is not installed in this build is checked through its stand-in (testing.ts) instead.
 */
function installedKinds(): ReadonlyMap<string, NodeKind> {
  const installed = [...registry.ofKind('node').values()].map(
    (plugin) => (plugin as unknown as { node: NodeKind }).node,
  );
  const kinds = new Map<string, NodeKind>();
  for (const kind of [...standInKinds(), ...builtinKinds, ...installed]) kinds.set(kind.id, kind);
  return kinds;
}

const template = (id: string) => {
  const found = findTemplate(id);
  if (!found) throw new Error(`no template ${id}`);
  return found;
};

describe('the template catalog', () => {
  it('lists three templates with unique ids', () => {
    expect(chatbotTemplates.map((t) => t.id)).toEqual(['faq', 'intake', 'triage']);
  });

  it.each(chatbotTemplates.map((t) => [t.id, t] as const))(
    '%s is a valid pipeline for the installed kinds',
    async (_, t) => {
      const result = await validatePipeline(t.definition, installedKinds());
      expect(result.issues).toEqual([]);
      // Every kind the picker advertises is in the graph, and the other way round (start and end aside).
      const used = new Set(t.definition.nodes.map((node) => node.kind));
      used.delete('start');
      used.delete('end');
      expect(new Set(t.kinds)).toEqual(used);
    },
  );

  it.each(chatbotTemplates.map((t) => [t.id, t] as const))(
    '%s opens drawn left to right: every node has its own position, every edge points right',
    (_, t) => {
      const at = new Map(t.definition.nodes.map((node) => [node.id, node.ui]));
      expect([...at.values()].every((ui) => ui !== undefined)).toBe(true);
      expect(new Set([...at.values()].map((ui) => `${ui?.x},${ui?.y}`)).size).toBe(at.size);
      for (const edge of t.definition.edges)
        expect(at.get(edge.to)?.x ?? 0, `${edge.from} → ${edge.to}`).toBeGreaterThan(at.get(edge.from)?.x ?? 0);
    },
  );

  it('withModel puts the model in every LLM-family node and leaves the template alone', () => {
    const faq = template('faq');
    const model = { providerId: 'openai', credentialId: 'cred_1', model: 'gpt-4o-mini' };
    const copy = withModel(faq.definition, model);
    const indexes = modelNodeIndexes(copy);
    expect(indexes.map((index) => copy.nodes[index]?.kind)).toEqual(['llm_router', 'llm', 'llm']);
    for (const index of indexes) expect(copy.nodes[index]?.settings).toMatchObject(model);
    expect(faq.definition.nodes[1]?.settings.providerId).toBe('offline');
    expect(copy.nodes.find((node) => node.kind === 'reply')?.settings).not.toHaveProperty('providerId');
  });
});

describe('the FAQ graph (stand-in models)', () => {
  const run = (input: string) => runTest(template('faq').definition, { input, kinds: standInKinds() });

  it('answers each topic with its own LLM', async () => {
    expect((await run('a billing question')).replies).toEqual(['[billing] a billing question']);
    const shipping = await run('where is my shipping?');
    expect(shipping.replies).toEqual(['[shipping] where is my shipping?']);
    expect(shipping.run.nodes.billing?.status).toBe('skipped');
  });

  it('sends the fixed fallback once for other questions', async () => {
    const result = await run('tell me a joke');
    expect(result.replies).toHaveLength(1);
    expect(result.replies[0]).toMatch(/^I can answer questions about billing and shipping/);
    expect(result.run.status).toBe('completed');
  });
});

describe('the intake graph (stand-in extraction)', () => {
  const run = (input: string, participant = {}) =>
    runTest(template('intake').definition, { input, participant, kinds: standInKinds() });

  it('asks for the first missing field', async () => {
    expect((await run('hello')).replies).toEqual(['[ask_name] hello']);
    expect((await run('name: Ada', {})).replies).toEqual(['[ask_email] name: Ada']);
    expect((await run('ada@example.com', { name: 'Ada' })).replies).toEqual(['[ask_reason] ada@example.com']);
  });

  it('counts what the participant said in earlier turns', async () => {
    const result = await run('reason: my invoice is wrong', { name: 'Ada', email: 'ada@example.com' });
    expect(result.replies).toEqual([
      'Thanks, Ada! We have your email as ada@example.com and you are contacting us about: my invoice is wrong. A member of the team will be in touch.',
    ]);
    expect(result.run.state.session).toEqual({ intake_complete: true });
    expect(result.run.state.participant).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
      reason: 'my invoice is wrong',
    });
  });

  it('completes in one turn when the message has everything', async () => {
    const result = await run('name: Bo, bo@example.com, reason: lost parcel');
    expect(result.replies[0]).toMatch(/^Thanks, Bo! We have your email as bo@example.com/);
    expect(result.run.state.session).toEqual({ intake_complete: true });
  });
});

describe('the triage graph (stand-in sandbox)', () => {
  const run = async (input: string) => {
    const outbox: SentEmail[] = [];
    return { outbox, ...(await runTest(template('triage').definition, { input, kinds: standInKinds(outbox) })) };
  };

  it('escalates an urgent message by email and tells the user', async () => {
    const result = await run('URGENT: our site is down!!');
    expect(result.output('score')).toBe('high');
    expect(result.outbox).toHaveLength(1);
    expect(result.outbox[0]?.settings.to).toBe('oncall@example.com');
    // The parallel set_state has kept the message (for the routine branch's LLM) by the time the email runs.
    expect(result.outbox[0]?.temp).toEqual({ message: 'URGENT: our site is down!!' });
    expect(result.replies).toEqual([expect.stringMatching(/^This sounds urgent/)]);
    expect(result.run.tags).toContainEqual(expect.objectContaining({ name: 'urgency:high' }));
  });

  it('answers everything else with the LLM and emails nobody', async () => {
    for (const [input, level] of [
      ['How do I change my password?', 'low'],
      ['The export button is broken', 'medium'],
    ] as const) {
      const result = await run(input);
      expect(result.output('score')).toBe(level);
      expect(result.outbox).toEqual([]);
      expect(result.replies).toEqual([`[answer] ${input}`]);
    }
  });
});
