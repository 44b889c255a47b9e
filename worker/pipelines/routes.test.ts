import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../test/api-keys.ts';
import { authed, BASE, seedDemo } from '../../test/seed.ts';

interface NodeType {
  id: string;
  routes: boolean;
  ports: string[] | null;
  streams: boolean;
  settingsSchema: { type: string; properties?: Record<string, unknown> };
  plugin: { id: string; version: string; hasTeamSettings: boolean; configured: boolean | null } | null;
}

describe('GET /api/v1/pipelines/node-types', () => {
  it('lists every node kind with its settings as JSON Schema, ports and plugin, for a read-only key', async () => {
    const demo = await seedDemo();
    const key = await createApiKey(demo.teamId, ['read']);
    const res = await SELF.fetch(`${BASE}/api/v1/pipelines/node-types`, authed(key));
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: NodeType[] };
    const byId = new Map(data.map((type) => [type.id, type]));
    for (const id of ['start', 'end', 'static_router', 'set_state', 'reply', 'end_conversation', 'template'])
      expect(byId.has(id), id).toBe(true);
    expect(byId.get('start')).toMatchObject({ plugin: null, ports: ['out'], routes: false });
    expect(byId.get('end')).toMatchObject({ plugin: null, ports: [] });
    expect(byId.get('static_router')).toMatchObject({
      routes: true,
      ports: null,
      streams: false,
      plugin: { id: 'static-router', version: '1.0.0', hasTeamSettings: false, configured: null },
      settingsSchema: { type: 'object', properties: { source: { enum: ['input', 'run', 'session', 'participant'] } } },
    });
    expect(byId.get('template')?.settingsSchema.properties).toHaveProperty('template');
  });

  it('needs an API key', async () => {
    const res = await SELF.fetch(`${BASE}/api/v1/pipelines/node-types`);
    expect(res.status).toBe(401);
  });
});

type RunAnswer = {
  output?: unknown;
  route?: string;
  stateWrites?: unknown[];
  tags?: unknown[];
  replies?: string[];
  logs?: string[];
  error?: { code: string; message: string; details?: { field: string; message: string }[] };
  durationMs?: number;
};

async function runNode(key: string, body: unknown): Promise<{ status: number; body: RunAnswer }> {
  const res = await SELF.fetch(
    `${BASE}/api/v1/pipelines/nodes/run`,
    authed(key, { method: 'POST', body: JSON.stringify(body) }),
  );
  return { status: res.status, body: (await res.json()) as RunAnswer };
}

const fieldsOf = (answer: RunAnswer) => (answer.error?.details ?? []).map((detail) => detail.field);

describe('POST /api/v1/pipelines/nodes/run', () => {
  it('runs a code node on the sample input and state: output, console logs, state writes and tags, nothing committed', async () => {
    const demo = await seedDemo();
    const code = [
      'function main(input, ctx) {',
      '  console.log("got", input.n, get_session_state("plan"));',
      '  set_participant_data("seen", true);',
      '  add_tag("sampled");',
      '  return { next: input.n + 1 };',
      '}',
    ].join('\n');
    const ran = await runNode(demo.apiKey, {
      kind: 'code',
      settings: { code },
      input: { n: 41 },
      state: { session: { plan: 'pro' } },
      chatbotId: demo.chatbotId,
    });
    expect(ran.status).toBe(200);
    expect(ran.body).toMatchObject({
      output: { next: 42 },
      route: 'out',
      stateWrites: [{ scope: 'participant', key: 'seen', op: 'set', value: true }],
      tags: [{ name: 'sampled', scope: 'reply' }],
      replies: [],
      logs: ['got 41 pro'],
    });
    expect(ran.body.error).toBeUndefined();
    expect(ran.body.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('answers 200 with `error` when the code throws, keeping the console output', async () => {
    const demo = await seedDemo();
    const ran = await runNode(demo.apiKey, {
      kind: 'code',
      settings: { code: 'function main(input) {\n  console.log("before");\n  throw new Error("boom");\n}' },
      input: 'x',
    });
    expect(ran.status).toBe(200);
    expect(ran.body.output).toBeNull();
    expect(ran.body.error).toMatchObject({ code: 'node_failed' });
    expect(ran.body.error?.message).toContain('boom');
    expect(ran.body.logs).toEqual(['before']);
  });

  it('renders a template node with the sample state; set_state returns its writes', async () => {
    const demo = await seedDemo();
    const rendered = await runNode(demo.apiKey, {
      kind: 'template',
      settings: { template: 'Hi {{ input }}, plan {{ session_state.plan }}' },
      input: 'Ada',
      state: { session: { plan: 'pro' } },
    });
    expect(rendered.status).toBe(200);
    expect(rendered.body).toMatchObject({ output: 'Hi Ada, plan pro', stateWrites: [], logs: [] });
    const set = await runNode(demo.apiKey, {
      kind: 'set_state',
      settings: { operations: [{ op: 'increment', scope: 'session', key: 'visits', by: 2 }] },
      state: { session: { visits: 1 } },
    });
    expect(set.status).toBe(200);
    expect(set.body.stateWrites).toEqual([{ scope: 'session', key: 'visits', op: 'increment', by: 2 }]);
  });

  it('sends no email: the message is logged instead', async () => {
    const demo = await seedDemo();
    const ran = await runNode(demo.apiKey, {
      kind: 'send_email',
      settings: { to: 'ops@example.com', subject: 'Urgent: {{ input }}', body: 'Body' },
      input: 'fire',
    });
    expect(ran.status).toBe(200);
    expect(ran.body.error).toBeUndefined();
    expect(ran.body.logs?.join('\n')).toContain(
      'email not sent (sample run): to ops@example.com, subject “Urgent: fire”',
    );
  });

  it('refuses bad input with a 400 naming the field, model-calling kinds, other teams’ chatbots and read-only keys', async () => {
    const demo = await seedDemo();
    const settings = await runNode(demo.apiKey, { kind: 'template', settings: { template: '' } });
    expect(settings.status).toBe(400);
    expect(settings.body.error?.code).toBe('invalid_settings');
    expect(fieldsOf(settings.body)).toEqual(['body.settings.template']);

    const kind = await runNode(demo.apiKey, { kind: 'teleport', settings: {} });
    expect(kind.status).toBe(400);
    expect(fieldsOf(kind.body)).toEqual(['body.kind']);

    const big = await runNode(demo.apiKey, {
      kind: 'template',
      settings: { template: '{{ input }}' },
      input: 'x'.repeat(40_000),
    });
    expect(big.status).toBe(400);
    expect(fieldsOf(big.body)).toEqual(['body.input']);

    const missing = await runNode(demo.apiKey, { settings: {} });
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.body)).toContain('body.kind');

    const llm = await runNode(demo.apiKey, {
      kind: 'llm',
      settings: {
        providerId: 'offline',
        credentialId: null,
        model: 'offline-echo',
        systemPrompt: 'Be brief.',
        parameters: {},
        tools: [],
        maxToolSteps: 1,
      },
      input: 'hello',
    });
    expect(llm.status).toBe(400);
    expect(llm.body.error?.code).toBe('model_not_available');
    expect(fieldsOf(llm.body)).toEqual(['body.kind']);

    const other = await seedDemo();
    const theirs = await runNode(other.apiKey, {
      kind: 'template',
      settings: { template: 'x' },
      chatbotId: demo.chatbotId,
    });
    expect(theirs.status).toBe(404);

    const reader = await createApiKey(demo.teamId, ['read']);
    expect((await runNode(reader, { kind: 'template', settings: { template: 'x' } })).status).toBe(403);
  });
});
