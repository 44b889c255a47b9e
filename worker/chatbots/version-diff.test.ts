import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../test/seed.ts';
import { call, definitionWith } from './testing.ts';

const pipeline = {
  schemaVersion: 2,
  nodes: [
    { id: 'start', kind: 'start', settings: {} },
    { id: 'greet', kind: 'reply', settings: { text: 'Hello' } },
    { id: 'end', kind: 'end', settings: {} },
  ],
  edges: [
    { from: 'start', to: 'greet' },
    { from: 'greet', to: 'end' },
  ],
  settings: { burstPolicy: 'queue', welcomeMessage: 'Hi', starterQuestions: [] },
};

describe('GET /api/v1/chatbots/{id}/versions/diff', () => {
  it('compares a published v1 version with a v2 draft node by node', async () => {
    const demo = await seedDemo();
    const created = await call(demo.apiKey, 'POST', '/api/v1/chatbots', { name: 'Diff', definition: definitionWith() });
    const bot = created.body.id as string;
    expect((await call(demo.apiKey, 'POST', `/api/v1/chatbots/${bot}/versions`)).status).toBe(201);
    expect((await call(demo.apiKey, 'PATCH', `/api/v1/chatbots/${bot}`, { definition: pipeline })).status).toBe(200);

    const diff = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions/diff?from=1&to=0`);
    expect(diff.status).toBe(200);
    // Without a query: the published version against the draft, the same comparison.
    expect((await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions/diff`)).body).toEqual(diff.body);
    expect(diff.body).toEqual({
      from: 1,
      to: 0,
      nodes: {
        added: [{ id: 'greet', kind: 'reply' }],
        removed: [{ id: 'llm', kind: 'llm' }],
        changed: [],
        moved: [],
      },
      edges: {
        added: [
          { from: 'start', to: 'greet' },
          { from: 'greet', to: 'end' },
        ],
        removed: [
          { from: 'start', to: 'llm' },
          { from: 'llm', to: 'end' },
        ],
      },
      settings: [],
      knowledge: [],
    });

    // Setting-level changes between two v1 versions, as paths old → new.
    await call(demo.apiKey, 'PATCH', `/api/v1/chatbots/${bot}`, {
      definition: definitionWith({ model: 'offline-echo', systemPrompt: 'Be kind.' }),
    });
    const settings = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions/diff?from=1&to=0`);
    expect(settings.body.nodes).toEqual({
      added: [],
      removed: [],
      changed: [
        { id: 'llm', kind: 'llm', changes: [{ path: 'settings.systemPrompt', from: 'Be brief.', to: 'Be kind.' }] },
      ],
      moved: [],
    });
  });

  it('stores node positions (`ui`) with the draft and the versions; a move is `moved`, not changed; bounds are checked', async () => {
    const demo = await seedDemo();
    const placed = {
      ...pipeline,
      nodes: pipeline.nodes.map((node, i) => ({ ...node, ui: { x: i * 280, y: 40.5 } })),
    };
    const created = await call(demo.apiKey, 'POST', '/api/v1/chatbots', { name: 'Layout', definition: placed });
    expect(created.status).toBe(201);
    const bot = created.body.id as string;
    const draft = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions/0`);
    expect(draft.body.definition).toEqual(placed);
    expect((await call(demo.apiKey, 'POST', `/api/v1/chatbots/${bot}/versions`)).status).toBe(201);
    expect((await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions/1`)).body.definition).toEqual(placed);

    const movedGreet = {
      ...placed,
      nodes: placed.nodes.map((node) => (node.id === 'greet' ? { ...node, ui: { x: 300, y: -200 } } : node)),
    };
    expect((await call(demo.apiKey, 'PATCH', `/api/v1/chatbots/${bot}`, { definition: movedGreet })).status).toBe(200);
    const diff = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions/diff?from=1&to=0`);
    expect(diff.body.nodes).toEqual({
      added: [],
      removed: [],
      changed: [],
      moved: [{ id: 'greet', kind: 'reply' }],
    });
    expect(diff.body.edges).toEqual({ added: [], removed: [] });

    const far = {
      ...placed,
      nodes: placed.nodes.map((node, i) => (i === 1 ? { ...node, ui: { x: 1e6, y: 0, z: 1 } } : node)),
    };
    const refused = await call(demo.apiKey, 'PATCH', `/api/v1/chatbots/${bot}`, { definition: far });
    expect(refused.status).toBe(400);
    const fields = (refused.body.error?.details ?? []).map((detail) => detail.field);
    expect(fields).toContain('body.definition.nodes[1].ui.x');
    expect(fields.some((field) => field?.startsWith('body.definition.nodes[1].ui'))).toBe(true);
    // Nothing partial was written: the draft still has the moved position.
    const after = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions/0`);
    expect(after.body.definition).toEqual(movedGreet);
  });

  it('404s for a version that does not exist or another team’s chatbot; 400 names a bad query', async () => {
    const [mine, theirs] = [await seedDemo(), await seedDemo()];
    expect(
      (await call(mine.apiKey, 'GET', `/api/v1/chatbots/${mine.chatbotId}/versions/diff?from=0&to=7`)).status,
    ).toBe(404);
    expect(
      (await call(theirs.apiKey, 'GET', `/api/v1/chatbots/${mine.chatbotId}/versions/diff?from=0&to=0`)).status,
    ).toBe(404);
    const bad = await call(mine.apiKey, 'GET', `/api/v1/chatbots/${mine.chatbotId}/versions/diff?from=-1&to=x`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_request' });
    expect((bad.body.error?.details ?? []).map((detail) => detail.field).sort()).toEqual(['query.from', 'query.to']);
  });
});
