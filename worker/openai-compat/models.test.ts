import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addChatbot, BASE, seedDemo } from '../../test/seed.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import { database } from '../db/client.ts';
import { chatbots, teams } from '../db/schema/index.ts';
import { openaiClient, rejection, scopedKey } from './testing.ts';

const offline = simpleDefinition({
  providerId: 'offline',
  credentialId: null,
  model: 'offline-echo',
  systemPrompt: '',
  parameters: {},
  tools: [],
  maxToolSteps: 1,
});

describe('GET /v1/models', () => {
  it("lists the team's answering chatbots by slug in OpenAI's list format", async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const archived = await addChatbot(demo.teamId, offline);
    const db = database(env.DB);
    await db.update(chatbots).set({ archivedAt: Date.now() }).where(eq(chatbots.id, archived));
    const second = await addChatbot(demo.teamId, offline);
    await db.update(chatbots).set({ slug: 'second' }).where(eq(chatbots.id, second));
    const team = await db.query.teams.findFirst({ where: eq(teams.id, demo.teamId) });

    const res = await SELF.fetch(`${BASE}/v1/models`, { headers: { authorization: `Bearer ${demo.apiKey}` } });
    const body = (await res.json()) as { object: string; data: { id: string; created: number }[] };
    expect(body.object).toBe('list');
    expect(body.data.map((model) => model.id)).toEqual(['demo', 'second']);
    expect(body.data[0]).toEqual({
      id: 'demo',
      object: 'model',
      created: expect.any(Number),
      owned_by: team?.slug,
    });
    expect(Math.abs((body.data[0]?.created ?? 0) - Date.now() / 1000)).toBeLessThan(600);

    // The official client reads the same list; another team sees only its own chatbot.
    const models = [];
    for await (const model of openaiClient(other.apiKey).models.list()) models.push(model.id);
    expect(models).toEqual(['demo']);
    expect(JSON.stringify(models)).not.toContain(second);
  });

  it('answers 401 without a key and 403 to a key without the read scope', async () => {
    const demo = await seedDemo();
    const res = await SELF.fetch(`${BASE}/v1/models`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_api_key', param: null } });
    const chatOnly = await scopedKey(demo.teamId, ['chat']);
    const error = await rejection(openaiClient(chatOnly).models.list());
    expect(error.status).toBe(403);
    expect(error.code).toBe('forbidden');
    const readOnly = await scopedKey(demo.teamId, ['read']);
    const models = await openaiClient(readOnly).models.list();
    expect(models.data.map((model) => model.id)).toEqual(['demo']);
  });
});
