import { describe, expect, it } from 'vitest';
import type { NodeTypeInfo, PipelineDefinition } from './api-types';
import { draftModel, newNodeSettings } from './new-node';

const kind = (id: string, extra: Partial<NodeTypeInfo>): NodeTypeInfo => ({
  id,
  displayName: id,
  description: '',
  inputs: '',
  output: '',
  acceptsInput: true,
  routes: false,
  settingsSchema: { type: 'object', properties: {} },
  ...extra,
});

const router = kind('llm_router', {
  routes: true,
  defaults: {
    providerId: 'offline',
    credentialId: null,
    model: 'offline-echo',
    prompt: '',
    routes: [
      { name: 'route_a', description: 'First' },
      { name: 'other', description: 'Else' },
    ],
    defaultRoute: 'other',
  },
});

const withLlm: PipelineDefinition = {
  schemaVersion: 2,
  nodes: [
    { id: 'start', kind: 'start', settings: {} },
    {
      id: 'llm',
      kind: 'llm',
      settings: { providerId: 'openai', credentialId: 'cred_1', model: 'gpt-4o-mini', systemPrompt: 'Be brief' },
    },
    { id: 'end', kind: 'end', settings: {} },
  ],
  edges: [],
  settings: { burstPolicy: 'queue', welcomeMessage: '', starterQuestions: [], fallbackReply: '' },
} as PipelineDefinition;

describe('settings of a node added from the palette', () => {
  it("start from the server's defaults (a copy: editing the node never changes the palette's)", () => {
    const settings = newNodeSettings(router);
    expect(settings).toMatchObject({ providerId: 'offline', defaultRoute: 'other' });
    (settings.routes as { name: string }[])[0] = { name: 'changed' };
    expect(router.defaults?.routes).toEqual([
      { name: 'route_a', description: 'First' },
      { name: 'other', description: 'Else' },
    ]);
  });

  it("take the provider, credential and model of the draft's LLM node, and nothing else of it", () => {
    expect(draftModel(withLlm)).toEqual({ providerId: 'openai', credentialId: 'cred_1', model: 'gpt-4o-mini' });
    expect(newNodeSettings(router, withLlm)).toMatchObject({
      providerId: 'openai',
      credentialId: 'cred_1',
      model: 'gpt-4o-mini',
      prompt: '',
      defaultRoute: 'other',
    });
    // A kind without a model is left alone.
    const template = kind('template', { defaults: { template: '{{ input }}' } });
    expect(newNodeSettings(template, withLlm)).toEqual({ template: '{{ input }}' });
  });

  it("fall back to the schema's per-field defaults when the server sends none", () => {
    const old = kind('http_request', {
      settingsSchema: { type: 'object', properties: { method: { type: 'string', default: 'GET' }, url: {} } },
    });
    expect(newNodeSettings(old)).toEqual({ method: 'GET' });
    expect(newNodeSettings(undefined)).toEqual({});
    expect(draftModel(null)).toBeNull();
  });
});
