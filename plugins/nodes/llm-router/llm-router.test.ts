import { describe, expect, it } from 'vitest';
import { runNodeContract } from '../../sdk/contracts/node.contract.ts';
import { NodeError } from '../../sdk/index.ts';
import { fakeNodeServices, runNodeKind } from '../../sdk/testing/node-harness.ts';
import { llmRouterNode } from './index.ts';

const settings = {
  providerId: 'openai',
  credentialId: 'cred_1',
  model: 'gpt-4o-mini',
  prompt: 'You route customer messages.',
  routes: [
    { name: 'billing', description: 'Invoices, payments, refunds' },
    { name: 'support', description: 'Anything broken' },
    { name: 'other', description: 'Everything else' },
  ],
  defaultRoute: 'other',
};

const answering = (json: unknown) => () => fakeNodeServices({ llm: () => ({ json: json as never }) });

runNodeContract(llmRouterNode, {
  examples: [
    { settings, input: 'My invoice is wrong', services: answering({ route: 'billing' }) },
    { settings: { ...settings, tagReply: true, history: 'conversation' }, services: answering({ route: 'nope' }) },
  ],
  invalidSettings: [
    { settings: { ...settings, routes: [settings.routes[0]] }, why: 'fewer than two routes' },
    { settings: { ...settings, defaultRoute: 'missing' }, why: 'the default route is not a route' },
    {
      settings: { ...settings, routes: [settings.routes[0], settings.routes[0]] },
      why: 'two routes with one name',
    },
    { settings: { ...settings, routes: [{ name: 'a b', description: 'x' }, settings.routes[1]] }, why: 'bad port' },
    { settings: { ...settings, history: 'all' }, why: 'unknown history mode' },
    { settings: { ...settings, credentialId: undefined }, why: 'credentialId is required (null for none)' },
  ],
});

const kind = llmRouterNode.node;

describe('llm_router', () => {
  it('asks for structured output with an enum of the route names, never streaming, and follows the answer', async () => {
    const services = fakeNodeServices({ llm: () => ({ json: { route: 'billing' } }) });
    const result = await runNodeKind(kind, { settings, input: 'My invoice is wrong', services });
    expect(result.routes).toEqual(['billing']);
    expect(result.output).toBe('My invoice is wrong');
    const request = services.chats[0];
    expect(request?.stream).toBe(false);
    expect(request?.responseSchema?.schema).toMatchObject({
      properties: { route: { enum: ['billing', 'support', 'other'] } },
      required: ['route'],
    });
    expect(request?.system).toContain('- support: Anything broken');
    expect(request?.system?.startsWith('You route customer messages.')).toBe(true);
    expect(request?.messages).toEqual([{ role: 'user', content: 'My invoice is wrong' }]);
    expect(request).toMatchObject({
      providerId: 'openai',
      credentialId: 'cred_1',
      model: 'gpt-4o-mini',
      parameters: {},
    });
    expect(result.state.run['node.route']).toEqual({ route: 'billing', answered: 'billing' });
    expect(result.usage).toEqual({ inputTokens: 10, outputTokens: 5 });
  });

  it('takes the default route, saying why, when the answer is not a route', async () => {
    const services = fakeNodeServices({ llm: () => ({ json: { route: 'sales' } }) });
    const result = await runNodeKind(kind, { settings, input: 'Hi', services });
    expect(result.routes).toEqual(['other']);
    expect(result.state.run['node.route']).toEqual({
      route: 'other',
      answered: 'sales',
      fallback: expect.stringContaining('does not match any of'),
    });
  });

  it('takes the default route when the model answers text that is not JSON', async () => {
    // The harness's default parses the text; a host whose provider ignored the schema hands back text only.
    const fake = fakeNodeServices();
    const chat = async () => ({
      text: 'billing, I think',
      usage: null,
      finishReason: 'stop' as const,
      streamed: false,
      metadata: {},
    });
    const services = { ...fake, llm: { chat } };
    const result = await runNodeKind(kind, { settings, input: 'Hi', services });
    expect(result.routes).toEqual(['other']);
    expect(result.state.run['node.route']).toMatchObject({ fallback: 'the model did not answer with JSON' });
  });

  it('tags the reply with the route when asked', async () => {
    const services = fakeNodeServices({ llm: () => ({ json: { route: 'support' } }) });
    const result = await runNodeKind(kind, { settings: { ...settings, tagReply: true }, input: 'Broken', services });
    expect(result.tags).toEqual([{ name: 'node:support', scope: 'reply' }]);
  });

  it('with history conversation, sends the last messages (text only) and the input when it differs', async () => {
    const services = fakeNodeServices({
      llm: () => ({ json: { route: 'support' } }),
      conversationHistory: [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'two' },
        { role: 'tool', content: '{}', toolCallId: 'x' },
        { role: 'user', content: 'three' },
      ],
    });
    await runNodeKind(kind, {
      settings: { ...settings, history: 'conversation', historyMessages: 2 },
      input: 'three',
      services,
    });
    expect(services.chats[0]?.messages).toEqual([
      { role: 'assistant', content: 'two' },
      { role: 'user', content: 'three' },
    ]);
    await runNodeKind(kind, { settings: { ...settings, history: 'conversation' }, input: 'rewritten', services });
    expect(services.chats[1]?.messages.at(-1)).toEqual({ role: 'user', content: 'rewritten' });
  });

  it('lets a model failure fail the node (the engine retries a retryable one)', async () => {
    const services = fakeNodeServices({
      llm: () => {
        throw new NodeError('rate limited', true);
      },
    });
    await expect(runNodeKind(kind, { settings, input: 'Hi', services })).rejects.toThrow('rate limited');
  });

  it('references the team credential, and none for a credential-less provider', () => {
    expect(kind.references?.(kind.settings.parse(settings))).toEqual([
      { type: 'credential', id: 'cred_1', path: 'credentialId' },
    ]);
    expect(kind.references?.(kind.settings.parse({ ...settings, credentialId: null }))).toEqual([]);
    expect(kind.ports(kind.settings.parse(settings))).toEqual(['billing', 'support', 'other']);
  });
});
