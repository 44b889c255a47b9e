import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../test/seed.ts';
import { call, definitionWith } from '../chatbots/testing.ts';

const llm = {
  providerId: 'offline',
  credentialId: null,
  model: 'offline-echo',
  systemPrompt: '',
  parameters: {},
  maxToolSteps: 2,
};

function pipelineWith(settings: Record<string, unknown>) {
  return {
    schemaVersion: 2,
    nodes: [
      { id: 'start', kind: 'start', settings: {} },
      { id: 'answer', kind: 'llm', settings: { ...llm, ...settings } },
      { id: 'end', kind: 'end', settings: {} },
    ],
    edges: [
      { from: 'start', to: 'answer' },
      { from: 'answer', to: 'end' },
    ],
    settings: { burstPolicy: 'queue', welcomeMessage: '', starterQuestions: [] },
  };
}

describe("an LLM node's approval list", () => {
  it('names functions of the node’s tools (plugins and built-in sets): v1 and v2 definitions', async () => {
    const demo = await seedDemo();
    const approval = { functions: ['current_time', 'create_reminder'], otherwise: 'deny' };
    const tools = ['clock', 'builtin:reminders'];
    const v1 = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
      name: 'Approvals v1',
      definition: definitionWith({ tools, approval }),
    });
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    const v2 = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
      name: 'Approvals v2',
      definition: pipelineWith({ tools, approval }),
    });
    expect(v2.status, JSON.stringify(v2.body)).toBe(201);
  });

  it('refuses a function no tool of the node has, naming the field', async () => {
    const demo = await seedDemo();
    const approval = { functions: ['current_time', 'delete_everything'], otherwise: 'allow' };
    const v1 = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
      name: 'Bad v1',
      definition: definitionWith({ tools: ['clock'], approval }),
    });
    expect(v1.status).toBe(400);
    expect(v1.body.error?.details).toEqual([
      {
        field: 'body.definition.nodes.1.approval.functions.1',
        message: '"delete_everything" is not a function of this node\'s tools',
      },
    ]);
    const v2 = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
      name: 'Bad v2',
      definition: pipelineWith({ tools: ['clock'], approval }),
    });
    expect(v2.status).toBe(400);
    expect(JSON.stringify(v2.body)).toContain('nodes[1].settings.approval.functions.1');
  });

  it('refuses a malformed rule: an unknown `otherwise`, a bad name, a timeout past an hour', async () => {
    const demo = await seedDemo();
    const res = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
      name: 'Bad rule',
      definition: definitionWith({
        tools: ['clock'],
        approval: { functions: ['current time'], otherwise: 'maybe', timeoutSeconds: 7200 },
      }),
    });
    expect(res.status).toBe(400);
    const fields = (res.body.error?.details ?? []).map((detail) => detail.field).sort();
    expect(fields).toEqual([
      'body.definition.nodes.1.approval.functions.0',
      'body.definition.nodes.1.approval.otherwise',
      'body.definition.nodes.1.approval.timeoutSeconds',
    ]);
  });
});
