import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../test/seed.ts';
import { addCredential, call, fields } from '../chatbots/testing.ts';
import { chatbotTemplates } from './catalog.ts';

interface Node {
  id: string;
  kind: string;
  settings: Record<string, unknown>;
}
interface Listed {
  id: string;
  name: string;
  kinds: string[];
  definition: { schemaVersion: number; nodes: Node[] };
}
const draftOf = (body: unknown) =>
  (body as { draft: { definition: { schemaVersion: number; nodes: Node[]; edges: unknown[] } } }).draft.definition;
const modelNodes = (nodes: Node[]) => nodes.filter((node) => 'providerId' in node.settings);

describe('GET /api/v1/chatbot-templates', () => {
  it('lists every template with its pipeline, to any key of the team', async () => {
    const demo = await seedDemo();
    const listed = await call(demo.apiKey, 'GET', '/api/v1/chatbot-templates');
    expect(listed.status).toBe(200);
    const data = listed.body.data as Listed[];
    expect(data.map((t) => t.id)).toEqual(['faq', 'intake', 'triage']);
    for (const item of data) {
      expect(item.definition.schemaVersion).toBe(2);
      expect(item.definition).toEqual(chatbotTemplates.find((t) => t.id === item.id)?.definition);
    }
    expect((await call(null, 'GET', '/api/v1/chatbot-templates')).status).toBe(401);
  });
});

describe('POST /api/v1/chatbots with a templateId', () => {
  it('creates a draft from the template on the offline provider by default', async () => {
    const demo = await seedDemo();
    for (const template of chatbotTemplates) {
      const created = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
        name: template.name,
        templateId: template.id,
      });
      expect(created.status).toBe(201);
      const definition = draftOf(created.body);
      expect(definition).toEqual(template.definition);
      for (const node of modelNodes(definition.nodes)) {
        expect(node.settings).toMatchObject({ providerId: 'offline', credentialId: null, model: 'offline-echo' });
      }
      // It reads back the same, so the stored draft is the template's pipeline.
      const got = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${(created.body as { id: string }).id}`);
      expect(draftOf(got.body)).toEqual(template.definition);
    }
  });

  it('puts the chosen provider, credential and model into every LLM-family node', async () => {
    const demo = await seedDemo();
    const credentialId = await addCredential(demo.teamId, 'openai');
    const created = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
      name: 'FAQ on OpenAI',
      templateId: 'faq',
      provider: { providerId: 'openai', credentialId, model: 'gpt-4o-mini' },
    });
    expect(created.status).toBe(201);
    const nodes = draftOf(created.body).nodes;
    expect(modelNodes(nodes).map((node) => node.kind)).toEqual(['llm_router', 'llm', 'llm']);
    for (const node of modelNodes(nodes)) {
      expect(node.settings).toMatchObject({ providerId: 'openai', credentialId, model: 'gpt-4o-mini' });
    }
    // Other nodes are untouched.
    expect(nodes.find((node) => node.id === 'fallback')?.settings).toEqual(
      chatbotTemplates[0]?.definition.nodes.find((node) => node.id === 'fallback')?.settings,
    );
  });

  it('defaults the model to the provider’s default', async () => {
    const demo = await seedDemo();
    const credentialId = await addCredential(demo.teamId, 'openai');
    const created = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
      name: 'Intake',
      templateId: 'intake',
      provider: { providerId: 'openai', credentialId },
    });
    expect(created.status).toBe(201);
    const models = new Set(modelNodes(draftOf(created.body).nodes).map((node) => node.settings.model));
    expect(models.size).toBe(1);
    expect([...models][0]).toMatch(/\S/);
    expect([...models][0]).not.toBe('offline-echo');
  });

  it('answers 400 naming the field for an unknown template, a bad provider or another team’s credential', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const unknown = await call(demo.apiKey, 'POST', '/api/v1/chatbots', { name: 'X', templateId: 'nope' });
    expect(unknown.status).toBe(400);
    expect(fields(unknown)).toEqual(['body.templateId']);

    const both = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
      name: 'X',
      templateId: 'faq',
      definition: chatbotTemplates[0]?.definition,
    });
    expect(both.status).toBe(400);
    expect(both.body.error?.details?.some((d) => d.field.startsWith('body.'))).toBe(true);

    const noProvider = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
      name: 'X',
      templateId: 'faq',
      provider: { providerId: 'nope', credentialId: null },
    });
    expect(noProvider.status).toBe(400);
    expect(fields(noProvider)).toEqual(['body.provider.providerId']);

    const theirs = await addCredential(other.teamId, 'openai');
    const foreign = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
      name: 'X',
      templateId: 'triage',
      provider: { providerId: 'openai', credentialId: theirs, model: 'gpt-4o-mini' },
    });
    expect(foreign.status).toBe(400);
    expect(fields(foreign)).toEqual(['body.provider.credentialId']);

    const needsKey = await call(demo.apiKey, 'POST', '/api/v1/chatbots', {
      name: 'X',
      templateId: 'faq',
      provider: { providerId: 'openai', credentialId: null },
    });
    expect(needsKey.status).toBe(400);
    expect(fields(needsKey)).toEqual(['body.provider.credentialId']);
    // Nothing was created by the refused requests.
    const list = await call(demo.apiKey, 'GET', '/api/v1/chatbots');
    expect((list.body.data as { name: string }[]).map((bot) => bot.name)).not.toContain('X');
  });
});
