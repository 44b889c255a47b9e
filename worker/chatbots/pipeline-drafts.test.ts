import { env, SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { authed, BASE, seedDemo } from '../../test/seed.ts';
import { loadDefinition } from '../conversation/meta.ts';
import { database } from '../db/client.ts';
import { chatbotVersions } from '../db/schema/index.ts';
import { teamReferenceResolver } from './pipeline-checks.ts';
import { addCredential, call, definitionWith } from './testing.ts';

/** start → router → (reply | template) → end: a pipeline only schemaVersion 2 can say. */
function pipeline(overrides: { router?: Record<string, unknown> } = {}) {
  return {
    schemaVersion: 2,
    nodes: [
      { id: 'start', kind: 'start', settings: {} },
      {
        id: 'route',
        kind: 'static_router',
        settings: {
          source: 'input',
          rules: [{ port: 'refund', operator: 'contains', value: 'refund' }],
          defaultPort: 'other',
          ...overrides.router,
        },
      },
      { id: 'sorry', kind: 'reply', settings: { text: 'A person will look at your refund.' } },
      { id: 'echo', kind: 'template', settings: { template: 'You said: {{ input }}' } },
      { id: 'end', kind: 'end', settings: {} },
    ],
    edges: [
      { from: 'start', to: 'route' },
      { from: 'route', fromPort: 'refund', to: 'sorry' },
      { from: 'route', fromPort: 'other', to: 'echo' },
      { from: 'sorry', to: 'end' },
      { from: 'echo', to: 'end' },
    ],
    settings: { burstPolicy: 'queue', welcomeMessage: 'Hi', starterQuestions: [], fallbackReply: 'Oops' },
  };
}

async function newChatbot(apiKey: string, definition?: unknown): Promise<string> {
  const res = await call(apiKey, 'POST', '/api/v1/chatbots', { name: 'Pipeline bot', definition });
  expect(res.status).toBe(201);
  return (res.body as { id: string }).id;
}

async function patch(apiKey: string, bot: string, body: unknown, ifMatch?: string) {
  const init = authed(apiKey, {
    method: 'PATCH',
    body: JSON.stringify(body),
    ...(ifMatch && { headers: { 'if-match': ifMatch } }),
  });
  const res = await SELF.fetch(`${BASE}/api/v1/chatbots/${bot}`, init);
  return { status: res.status, etag: res.headers.get('etag'), body: (await res.json()) as Record<string, unknown> };
}

describe('pipeline drafts (schemaVersion 2)', () => {
  it('creates and saves a valid pipeline; the draft returns it as sent, with its revision', async () => {
    const demo = await seedDemo();
    const bot = await newChatbot(demo.apiKey, pipeline());
    const draft = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions/0`);
    expect(draft.body).toMatchObject({
      number: 0,
      definition: pipeline(),
      revision: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const saved = await patch(demo.apiKey, bot, { definition: pipeline({ router: { caseSensitive: true } }) });
    expect(saved.status).toBe(200);
    expect(saved.body.draft).toMatchObject({ definition: pipeline({ router: { caseSensitive: true } }) });
  });

  it('saves an invalid pipeline draft with its problems listed on each node or edge; publishing refuses it', async () => {
    const demo = await seedDemo();
    const bot = await newChatbot(demo.apiKey);
    const bad = pipeline({ router: { rules: [{ port: 'refund', operator: 'gt', value: 'x' }] } });
    bad.nodes[3] = { id: 'echo', kind: 'teleport', settings: {} };
    bad.edges.push({ from: 'end', to: 'ghost' });
    const res = await patch(demo.apiKey, bot, { definition: bad });
    expect(res.status).toBe(200);
    const saved = res.body.draft as { definition: unknown; revision: string; issues: { path: string; code: string }[] };
    // Nothing typed is lost: the draft is what was sent, with every problem pointing at its node or edge.
    expect(saved.definition).toEqual(bad);
    const expected = [
      ['body.definition.nodes[1].settings.rules[0].value', 'invalid_settings'],
      ['body.definition.nodes[3].kind', 'unknown_kind'],
      ['body.definition.edges[5].to', 'unknown_node'],
    ];
    expect(saved.issues.map(({ path, code }) => [path, code])).toEqual(expect.arrayContaining(expected));
    // Reading the draft lists the same problems (paths from the version), so a reload shows them again.
    const draft = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions/0`);
    expect(draft.body).toMatchObject({ definition: bad, revision: saved.revision });
    expect((draft.body.issues as { path: string }[]).map(({ path }) => path)).toEqual(
      expect.arrayContaining(['definition.nodes[3].kind', 'definition.edges[5].to']),
    );
    const refused = await call(demo.apiKey, 'POST', `/api/v1/chatbots/${bot}/versions`, { note: 'broken' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'draft_invalid',
      details: expect.arrayContaining([expect.objectContaining({ path: 'draft.definition.nodes[3].kind' })]),
    });
    // Fixed, it saves with no problems and publishes.
    const fixed = await patch(demo.apiKey, bot, { definition: pipeline() });
    expect((fixed.body.draft as { issues: unknown[] }).issues).toEqual([]);
    expect((await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions/0`)).body.issues).toEqual([]);
    expect((await call(demo.apiKey, 'POST', `/api/v1/chatbots/${bot}/versions`, {})).status).toBe(201);
  });

  it('refuses a pipeline that is malformed as a whole with 400 and a path; saves an unwired route as a problem', async () => {
    const demo = await seedDemo();
    const bot = await newChatbot(demo.apiKey);
    const malformed = await patch(demo.apiKey, bot, { definition: { schemaVersion: 2, nodes: 'x' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({
      error: {
        code: 'invalid_definition',
        details: expect.arrayContaining([expect.objectContaining({ path: 'body.definition.nodes' })]),
      },
    });
    // Not a partial write: the draft is still the version 1 one.
    const before = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions/0`);
    expect((before.body.definition as { schemaVersion: number }).schemaVersion).toBe(1);
    const unwired = pipeline();
    unwired.edges = unwired.edges.filter((edge) => edge.fromPort !== 'other');
    const res = await patch(demo.apiKey, bot, { definition: unwired });
    expect(res.status).toBe(200);
    expect(res.body.draft).toMatchObject({
      issues: expect.arrayContaining([
        {
          field: 'body.definition.nodes[1]',
          path: 'body.definition.nodes[1]',
          code: 'unwired_port',
          message: 'route "other" is not connected',
        },
      ]),
    });
  });

  it('a test turn on a draft saved with problems ends with an error naming them, not a generic failure', async () => {
    const demo = await seedDemo();
    const bot = await newChatbot(demo.apiKey, pipeline());
    const unwired = pipeline();
    unwired.edges = unwired.edges.filter((edge) => edge.fromPort !== 'other');
    expect((await patch(demo.apiKey, bot, { definition: unwired })).status).toBe(200);
    const conversation = await call(demo.apiKey, 'POST', '/api/v1/conversations', { chatbotId: bot, version: 0 });
    expect(conversation.status).toBe(201);
    const turn = await call(demo.apiKey, 'POST', `/api/v1/conversations/${conversation.body.id}/messages`, {
      text: 'hello',
    });
    expect(turn.body.reply).toMatchObject({
      status: 'error',
      error: { code: 'invalid_pipeline', message: expect.stringContaining('route "other" is not connected') },
    });
  });

  it('creating a chatbot with an invalid pipeline is still refused (there is no draft to keep yet)', async () => {
    const demo = await seedDemo();
    const bad = pipeline();
    bad.nodes[3] = { id: 'echo', kind: 'teleport', settings: {} };
    const res = await call(demo.apiKey, 'POST', '/api/v1/chatbots', { name: 'Broken', definition: bad });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_definition' });
  });

  it('keeps validating version 1 definitions exactly as before', async () => {
    const demo = await seedDemo();
    const bot = await newChatbot(demo.apiKey);
    const res = await call(demo.apiKey, 'PATCH', `/api/v1/chatbots/${bot}`, {
      definition: definitionWith({ providerId: 'nope' }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'invalid_request',
      details: [{ field: 'body.definition.nodes.1.providerId', message: 'provider plugin "nope" is not installed' }],
    });
  });

  it('publishes a pipeline, re-validating it: a draft gone bad since it was saved is refused', async () => {
    const demo = await seedDemo();
    const bot = await newChatbot(demo.apiKey, pipeline());
    const published = await call(demo.apiKey, 'POST', `/api/v1/chatbots/${bot}/versions`, { note: 'v2' });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ number: 1, definition: pipeline() });
    // A kind that is no longer installed, written behind the API's back.
    const broken = pipeline();
    broken.nodes[2] = { id: 'sorry', kind: 'uninstalled', settings: {} };
    await database(env.DB)
      .update(chatbotVersions)
      .set({ definition: broken as never })
      .where(and(eq(chatbotVersions.chatbotId, bot), eq(chatbotVersions.number, 0)));
    const refused = await call(demo.apiKey, 'POST', `/api/v1/chatbots/${bot}/versions`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'draft_invalid',
      details: [expect.objectContaining({ path: 'draft.definition.nodes[2].kind', code: 'unknown_kind' })],
    });
  });

  it('a conversation of a pipeline version loads its v2 definition and its (empty) knowledge pins', async () => {
    const demo = await seedDemo();
    const bot = await newChatbot(demo.apiKey, pipeline());
    const published = await call(demo.apiKey, 'POST', `/api/v1/chatbots/${bot}/versions`);
    const version = await loadDefinition(env, {
      teamId: demo.teamId,
      chatbotId: bot,
      conversationId: 'conv_test',
      chatbotVersionId: published.body.id as string,
    } as Parameters<typeof loadDefinition>[1]);
    expect(version).toEqual({ definition: pipeline(), knowledge: {} });
  });
});

describe('team references', () => {
  it('reads credentials, plugin configurations and chatbots of the team only; an unknown collection is unknown', async () => {
    const [mine, theirs] = [await seedDemo(), await seedDemo()];
    const credential = await addCredential(mine.teamId, 'openai');
    const foreignCredential = await addCredential(theirs.teamId, 'openai');
    const resolver = teamReferenceResolver(database(env.DB), mine.teamId);
    const answers = await resolver.exists([
      { type: 'credential', id: credential, path: 'credentialId' },
      { type: 'credential', id: foreignCredential, path: 'credentialId' },
      { type: 'plugin-config', id: credential, path: 'configId' },
      { type: 'chatbot', id: mine.chatbotId, path: 'chatbotId' },
      { type: 'chatbot', id: theirs.chatbotId, path: 'chatbotId' },
      { type: 'collection', id: 'col_1', path: 'collectionId' },
      { type: 'credential', id: 'cred_missing', path: 'credentialId' },
    ]);
    expect(answers).toEqual([true, false, true, true, false, false, false]);
    expect(await resolver.exists([])).toEqual([]);
  });
});

describe('draft revision (concurrent editors)', () => {
  it('GET returns the revision as ETag; a stale If-Match or body revision is a 409 with the current one', async () => {
    const demo = await seedDemo();
    const bot = await newChatbot(demo.apiKey, pipeline());
    const read = await SELF.fetch(`${BASE}/api/v1/chatbots/${bot}`, authed(demo.apiKey));
    const body = (await read.json()) as { draft: { revision: string } };
    const revision = body.draft.revision;
    expect(read.headers.get('etag')).toBe(`"${revision}"`);
    const version = await SELF.fetch(`${BASE}/api/v1/chatbots/${bot}/versions/0`, authed(demo.apiKey));
    expect(version.headers.get('etag')).toBe(`"${revision}"`);

    // Editor A saves on top of what it read: accepted, and the revision moves on.
    const first = await patch(
      demo.apiKey,
      bot,
      { definition: pipeline({ router: { caseSensitive: true } }) },
      `"${revision}"`,
    );
    expect(first.status).toBe(200);
    const next = (first.body.draft as { revision: string }).revision;
    expect(next).not.toBe(revision);
    expect(first.etag).toBe(`"${next}"`);

    // Editor B still holds the old revision: refused, told the current one; nothing is overwritten.
    const stale = await patch(
      demo.apiKey,
      bot,
      { definition: pipeline({ router: { tagRoute: true } }) },
      `W/"${revision}"`,
    );
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: { code: 'draft_conflict', details: { revision: next } } });
    const staleBody = await patch(demo.apiKey, bot, { definition: pipeline(), revision });
    expect(staleBody.status).toBe(409);
    const draft = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions/0`);
    expect(draft.body.revision).toBe(next);

    // With the current revision in the body it goes through; without any, the last write wins as before.
    expect((await patch(demo.apiKey, bot, { definition: pipeline(), revision: next })).status).toBe(200);
    expect((await patch(demo.apiKey, bot, { definition: pipeline({ router: { tagRoute: true } }) })).status).toBe(200);
    // A rename alone never conflicts.
    expect((await patch(demo.apiKey, bot, { name: 'Renamed' }, '"0000"')).status).toBe(200);
  });
});
