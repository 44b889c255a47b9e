import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../test/seed.ts';
import { addCredential, call, definitionWith, fields, keyWithScopes } from './testing.ts';

interface Chatbot {
  id: string;
  slug: string;
  name: string;
  description: string;
  archived: boolean;
  archivedAt: string | null;
  publishedVersion: number | null;
  draft: { number: number; status: string; definition: ReturnType<typeof definitionWith> } | null;
}

const asChatbot = (body: unknown) => body as Chatbot;

describe('POST /api/v1/chatbots', () => {
  it('creates a chatbot with an offline draft and a slug generated from the name, unique in the team', async () => {
    const demo = await seedDemo();
    const first = await call(demo.apiKey, 'POST', '/api/v1/chatbots', { name: 'Support Bot (EU)' });
    expect(first.status).toBe(201);
    const bot = asChatbot(first.body);
    expect(bot).toMatchObject({ slug: 'support-bot-eu', name: 'Support Bot (EU)', description: '', archived: false });
    expect(bot.publishedVersion).toBeNull();
    expect(bot.draft).toMatchObject({ number: 0, status: 'draft' });
    expect(bot.draft?.definition.nodes[1]).toMatchObject({ providerId: 'offline', model: 'offline-echo' });

    const second = await call(demo.apiKey, 'POST', '/api/v1/chatbots', { name: 'support bot eu' });
    expect(asChatbot(second.body).slug).toBe('support-bot-eu-2');
    // The same name in another team takes the plain slug: uniqueness is per team.
    const other = await seedDemo();
    const elsewhere = await call(other.apiKey, 'POST', '/api/v1/chatbots', { name: 'Support Bot (EU)' });
    expect(asChatbot(elsewhere.body).slug).toBe('support-bot-eu');

    const got = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot.id}`);
    expect(got.body).toEqual(first.body);
  });

  it('takes an explicit slug, description and definition, and refuses a taken slug with 409', async () => {
    const demo = await seedDemo();
    const definition = definitionWith({ parameters: { temperature: 0.5 }, tools: ['clock'] });
    const created = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
      name: 'Clock',
      slug: 'clock',
      description: 'Tells the time',
      definition,
    });
    expect(created.status).toBe(201);
    expect(asChatbot(created.body)).toMatchObject({ slug: 'clock', description: 'Tells the time' });
    expect(asChatbot(created.body).draft?.definition).toEqual(definition);
    const taken = await call(demo.apiKey, 'POST', '/api/v1/chatbots', { name: 'Other', slug: 'demo' });
    expect(taken.status).toBe(409);
    expect(taken.body.error?.code).toBe('slug_taken');
  });

  it('answers 400 naming every bad field, for the schema and for plugins, parameters, tools and credentials', async () => {
    const demo = await seedDemo();
    const schema = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
      name: '',
      slug: 'Not_A_Slug',
      definition: definitionWith({ model: '' }),
    });
    expect(schema.status).toBe(400);
    expect(fields(schema)).toEqual(['body.definition.nodes.1.model', 'body.name', 'body.slug']);

    const foreignCredential = await addCredential((await seedDemo()).teamId, 'openai');
    const cases: [Record<string, unknown>, string[]][] = [
      [{ providerId: 'nope' }, ['body.definition.nodes.1.providerId']],
      [
        { parameters: { temperature: 5, bogus: 1 } },
        ['body.definition.nodes.1.parameters', 'body.definition.nodes.1.parameters.temperature'],
      ],
      [
        { tools: ['clock', 'missing', 'clock'] },
        ['body.definition.nodes.1.tools.1', 'body.definition.nodes.1.tools.2'],
      ],
      [{ providerId: 'openai', model: 'gpt-4o' }, ['body.definition.nodes.1.credentialId']],
      [
        { providerId: 'openai', model: 'gpt-4o', credentialId: foreignCredential },
        ['body.definition.nodes.1.credentialId'],
      ],
      // A reasoning model refuses sampling parameters.
      [
        {
          providerId: 'openai',
          model: 'o3-mini',
          credentialId: await addCredential(demo.teamId, 'openai'),
          parameters: { temperature: 1 },
        },
        ['body.definition.nodes.1.parameters'],
      ],
    ];
    for (const [llm, expected] of cases) {
      const res = await call(demo.apiKey, 'POST', '/api/v1/chatbots', { name: 'x', definition: definitionWith(llm) });
      expect(res.status, JSON.stringify(llm)).toBe(400);
      expect(fields(res), JSON.stringify(llm)).toEqual(expected);
    }
    const anthropic = await addCredential(demo.teamId, 'anthropic');
    const mismatched = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
      name: 'x',
      definition: definitionWith({ providerId: 'openai', model: 'gpt-4o', credentialId: anthropic }),
    });
    expect(fields(mismatched)).toEqual(['body.definition.nodes.1.credentialId']);
    const ok = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
      name: 'x',
      definition: definitionWith({ providerId: 'anthropic', model: 'claude-sonnet-4-5', credentialId: anthropic }),
    });
    expect(ok.status).toBe(201);
  });

  it('needs an admin key', async () => {
    const demo = await seedDemo();
    expect((await call(null, 'POST', '/api/v1/chatbots', { name: 'x' })).status).toBe(401);
    const read = await keyWithScopes(demo.teamId, ['read', 'chat']);
    expect((await call(read, 'POST', '/api/v1/chatbots', { name: 'x' })).status).toBe(403);
  });
});

describe('GET /api/v1/chatbots/{idOrSlug}', () => {
  it('finds a chatbot by id or slug with its draft and published version numbers, only in its own team', async () => {
    const demo = await seedDemo();
    const bySlug = await call(demo.apiKey, 'GET', '/api/v1/chatbots/demo');
    expect(bySlug.status).toBe(200);
    expect(asChatbot(bySlug.body)).toMatchObject({ id: demo.chatbotId, slug: 'demo', publishedVersion: 1 });
    expect(asChatbot(bySlug.body).draft?.number).toBe(0);
    const read = await keyWithScopes(demo.teamId, ['read']);
    expect((await call(read, 'GET', `/api/v1/chatbots/${demo.chatbotId}`)).body).toEqual(bySlug.body);

    const other = await seedDemo();
    expect((await call(other.apiKey, 'GET', `/api/v1/chatbots/${demo.chatbotId}`)).status).toBe(404);
    // Both teams have a chatbot with the slug `demo`: each sees its own.
    expect(asChatbot((await call(other.apiKey, 'GET', '/api/v1/chatbots/demo')).body).id).toBe(other.chatbotId);
    expect((await call(demo.apiKey, 'GET', '/api/v1/chatbots/nope')).status).toBe(404);
    expect((await call(null, 'GET', '/api/v1/chatbots/demo')).status).toBe(401);
    const chatOnly = await keyWithScopes(demo.teamId, ['chat']);
    expect((await call(chatOnly, 'GET', '/api/v1/chatbots/demo')).status).toBe(403);
    const tooLong = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${'x'.repeat(65)}`);
    expect(fields(tooLong)).toEqual(['param.idOrSlug']);
  });
});

describe('PATCH /api/v1/chatbots/{idOrSlug}', () => {
  it('renames the chatbot and replaces its draft, leaving the published version alone', async () => {
    const demo = await seedDemo();
    const definition = definitionWith({ systemPrompt: 'New prompt', parameters: { maxTokens: 10 } });
    const res = await call(demo.apiKey, 'PATCH', '/api/v1/chatbots/demo', {
      name: 'Renamed',
      slug: 'renamed',
      description: 'New',
      definition,
    });
    expect(res.status).toBe(200);
    expect(asChatbot(res.body)).toMatchObject({
      name: 'Renamed',
      slug: 'renamed',
      description: 'New',
      publishedVersion: 1,
    });
    expect(asChatbot(res.body).draft?.definition).toEqual(definition);
    expect((await call(demo.apiKey, 'GET', '/api/v1/chatbots/demo')).status).toBe(404);
    const published = await call(demo.apiKey, 'GET', '/api/v1/chatbots/renamed/versions/1');
    expect(JSON.stringify(published.body)).not.toContain('New prompt');
    const nameOnly = await call(demo.apiKey, 'PATCH', `/api/v1/chatbots/${demo.chatbotId}`, { name: 'Again' });
    expect(asChatbot(nameOnly.body)).toMatchObject({ name: 'Again', slug: 'renamed' });
    expect(asChatbot(nameOnly.body).draft?.definition).toEqual(definition);
  });

  it('refuses bad fields with 400, a taken slug with 409, other teams with 404, and non-admin keys', async () => {
    const demo = await seedDemo();
    await call(demo.apiKey, 'POST', '/api/v1/chatbots', { name: 'Taken' });
    const bad = await call(demo.apiKey, 'PATCH', '/api/v1/chatbots/demo', {
      name: ' ',
      definition: { ...definitionWith(), edges: [] },
    });
    expect(fields(bad)).toEqual(['body.definition.edges', 'body.name']);
    const plugin = await call(demo.apiKey, 'PATCH', '/api/v1/chatbots/demo', {
      definition: definitionWith({ tools: ['nope'] }),
    });
    expect(plugin.status).toBe(400);
    expect(fields(plugin)).toEqual(['body.definition.nodes.1.tools.0']);
    const taken = await call(demo.apiKey, 'PATCH', '/api/v1/chatbots/demo', { slug: 'taken' });
    expect(taken.status).toBe(409);
    expect(fields(taken)).toEqual(['body.slug']);
    expect(asChatbot((await call(demo.apiKey, 'GET', '/api/v1/chatbots/demo')).body).name).not.toBe(' ');

    const other = await seedDemo();
    expect((await call(other.apiKey, 'PATCH', `/api/v1/chatbots/${demo.chatbotId}`, { name: 'Mine' })).status).toBe(
      404,
    );
    expect((await call(null, 'PATCH', '/api/v1/chatbots/demo', { name: 'x' })).status).toBe(401);
    const read = await keyWithScopes(demo.teamId, ['read', 'chat']);
    expect((await call(read, 'PATCH', '/api/v1/chatbots/demo', { name: 'x' })).status).toBe(403);
    expect(asChatbot((await call(demo.apiKey, 'GET', '/api/v1/chatbots/demo')).body).name).toBe('Demo assistant');
  });
});

describe('archiving', () => {
  it('hides an archived chatbot from the default list, refuses new conversations, and brings it back', async () => {
    const demo = await seedDemo();
    const ids = async (query = '') =>
      ((await call(demo.apiKey, 'GET', `/api/v1/chatbots${query}`)).body.data as { id: string }[]).map((b) => b.id);
    expect(await ids()).toEqual([demo.chatbotId]);
    // The list's summary carries what the dashboard's table shows: the live model and when the chatbot last changed.
    const [summary] = (await call(demo.apiKey, 'GET', '/api/v1/chatbots')).body.data as Record<string, unknown>[];
    expect(summary).toMatchObject({
      provider: { id: 'offline', offline: true },
      model: 'offline-echo',
      publishedVersion: 1,
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const archived = await call(demo.apiKey, 'POST', '/api/v1/chatbots/demo/archive');
    expect(archived.status).toBe(200);
    expect(asChatbot(archived.body)).toMatchObject({ archived: true, publishedVersion: 1 });
    const again = await call(demo.apiKey, 'POST', '/api/v1/chatbots/demo/archive');
    expect(asChatbot(again.body).archivedAt).toBe(asChatbot(archived.body).archivedAt);
    expect(await ids()).toEqual([]);
    expect(await ids('?archived=true')).toEqual([demo.chatbotId]);
    const start = await call(demo.apiKey, 'POST', '/api/v1/conversations', { chatbotId: demo.chatbotId });
    expect(start.status).toBe(409);
    // Still readable by id or slug: archived is not deleted.
    expect((await call(demo.apiKey, 'GET', '/api/v1/chatbots/demo')).status).toBe(200);

    const restored = await call(demo.apiKey, 'POST', `/api/v1/chatbots/${demo.chatbotId}/unarchive`);
    expect(asChatbot(restored.body)).toMatchObject({ archived: false, archivedAt: null });
    expect(await ids()).toEqual([demo.chatbotId]);
    expect(await ids('?archived=true')).toEqual([]);
    expect((await call(demo.apiKey, 'POST', '/api/v1/conversations', { chatbotId: demo.chatbotId })).status).toBe(201);
    expect(fields(await call(demo.apiKey, 'GET', '/api/v1/chatbots?archived=yes'))).toEqual(['query.archived']);
  });

  it('needs an admin key and this team', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const read = await keyWithScopes(demo.teamId, ['read', 'chat']);
    for (const action of ['archive', 'unarchive']) {
      expect((await call(null, 'POST', `/api/v1/chatbots/demo/${action}`)).status).toBe(401);
      expect((await call(read, 'POST', `/api/v1/chatbots/demo/${action}`)).status).toBe(403);
      expect((await call(other.apiKey, 'POST', `/api/v1/chatbots/${demo.chatbotId}/${action}`)).status).toBe(404);
    }
    expect(asChatbot((await call(demo.apiKey, 'GET', '/api/v1/chatbots/demo')).body).archived).toBe(false);
  });
});
