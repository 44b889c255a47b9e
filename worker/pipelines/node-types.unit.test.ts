import { expect, it } from 'vitest';
import { nodeKinds, pluginOfKind } from './kinds.ts';
import type { NodeKind } from './node-kind.ts';
import { describeNodeKind } from './node-types.ts';

it('describes every kind (built-ins and node plugins) with its settings as JSON Schema and its ports', () => {
  const described = [...nodeKinds().values()].map(describeNodeKind);
  expect(described.map((kind) => kind.id)).toEqual(
    expect.arrayContaining(['start', 'end', 'static_router', 'set_state', 'reply', 'end_conversation', 'template']),
  );
  const router = described.find((kind) => kind.id === 'static_router');
  expect(router).toMatchObject({ routes: true, acceptsInput: true, ports: null, streams: false });
  expect(router?.settingsSchema).toMatchObject({
    type: 'object',
    required: expect.arrayContaining(['source', 'rules', 'defaultPort']),
    properties: { source: { enum: ['input', 'run', 'session', 'participant'] } },
  });
  expect(described.find((kind) => kind.id === 'template')?.settingsSchema).toMatchObject({
    properties: { template: { type: 'string', maxLength: 32_000 } },
  });
  expect(described.find((kind) => kind.id === 'end')).toMatchObject({ ports: [], acceptsInput: true });
  expect(described.find((kind) => kind.id === 'start')).toMatchObject({ ports: ['out'], acceptsInput: false });
  expect(described.find((kind) => kind.id === 'reply')?.ports).toEqual(['out']);
  // Plain JSON, ready to be an API response.
  expect(JSON.parse(JSON.stringify(described))).toEqual(described);
});

it('names the plugin that brings each kind; the built-ins have none', () => {
  expect(pluginOfKind('static_router')).toBe('static-router');
  expect(pluginOfKind('end_conversation')).toBe('end-conversation');
  expect(pluginOfKind('start')).toBeUndefined();
});

it('gives every installed kind defaults that pass its own validation, so a node added in the editor saves at once', () => {
  for (const kind of nodeKinds().values()) {
    const { defaults } = describeNodeKind(kind);
    expect(defaults, kind.id).not.toBeNull();
    const parsed = kind.settings.safeParse(defaults);
    expect(parsed.success, `${kind.id}: ${parsed.error?.message ?? ''}`).toBe(true);
  }
  // A router starts with two routes and a default among them; an LLM-family node with the offline model.
  const router = describeNodeKind(nodeKinds().get('llm_router') as NodeKind);
  expect(router.defaults).toMatchObject({ providerId: 'offline', credentialId: null, defaultRoute: 'other' });
  expect(router.defaults?.routes).toHaveLength(2);
});

it('answers null defaults for a kind whose declared defaults do not validate, rather than a broken node', () => {
  const broken = { ...(nodeKinds().get('template') as NodeKind), defaults: { template: '' } };
  expect(describeNodeKind(broken).defaults).toBeNull();
});
