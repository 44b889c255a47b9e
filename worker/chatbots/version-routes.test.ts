import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addChatbot, seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { chatbotVersions, conversations, pluginConfigs } from '../db/schema/index.ts';
import { defaultDefinition } from './create.ts';
import { addCredential, call, definitionWith, fields, keyWithScopes } from './testing.ts';

interface Version {
  id: string;
  number: number;
  status: string;
  note: string;
  definition?: ReturnType<typeof definitionWith>;
}

const numbers = (body: Record<string, unknown>) => (body.data as Version[]).map((version) => version.number);

async function newChatbot(apiKey: string): Promise<string> {
  const res = await call(apiKey, 'POST', '/api/v1/chatbots', { name: 'Versioned' });
  return (res.body as { id: string }).id;
}

describe('publishing versions', () => {
  it('publishes the draft as version 1, 2, …; new conversations use the published one, old ones keep theirs', async () => {
    const demo = await seedDemo();
    const bot = await newChatbot(demo.apiKey);
    const first = await call(demo.apiKey, 'POST', `/api/v1/chatbots/${bot}/versions`, { note: 'First' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      number: 1,
      status: 'published',
      note: 'First',
      definition: defaultDefinition(),
    });
    const started = await call(demo.apiKey, 'POST', '/api/v1/conversations', { chatbotId: bot });
    expect(started.body.chatbotVersionId).toBe(first.body.id);

    const edited = definitionWith({ systemPrompt: 'Second prompt' });
    await call(demo.apiKey, 'PATCH', `/api/v1/chatbots/${bot}`, { definition: edited });
    // No body: the note is empty.
    const second = await call(demo.apiKey, 'POST', `/api/v1/chatbots/${bot}/versions`);
    expect(second.body).toMatchObject({ number: 2, note: '', definition: edited });
    expect((await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}`)).body.publishedVersion).toBe(2);
    const next = await call(demo.apiKey, 'POST', '/api/v1/conversations', { chatbotId: bot });
    expect(next.body.chatbotVersionId).toBe(second.body.id);
    const old = await database(env.DB).query.conversations.findFirst({
      where: eq(conversations.id, started.body.id as string),
    });
    expect(old?.chatbotVersionId).toBe(first.body.id);

    // Version 1 is immutable: the edit went to the draft and to version 2 only.
    const one = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions/1`);
    expect(one.body).toEqual(first.body);
    const draft = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions/0`);
    expect(draft.body).toMatchObject({ number: 0, status: 'draft', definition: edited });
  });

  it('gives two concurrent publishes different numbers', async () => {
    const demo = await seedDemo();
    const bot = await newChatbot(demo.apiKey);
    const publish = (note: string) => call(demo.apiKey, 'POST', `/api/v1/chatbots/${bot}/versions`, { note });
    const results = await Promise.all([publish('a'), publish('b')]);
    expect(results.map((r) => r.status)).toEqual([201, 201]);
    expect(results.map((r) => r.body.number).sort()).toEqual([1, 2]);
    // The batches ran one after the other, so the one that took number 2 set the published version last.
    const chatbot = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}`);
    expect(chatbot.body.publishedVersion).toBe(2);
    expect(numbers((await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions`)).body)).toEqual([2, 1]);
  });

  it('refuses to publish a draft whose credential has gone, naming the field', async () => {
    const demo = await seedDemo();
    const credentialId = await addCredential(demo.teamId, 'openai');
    const definition = definitionWith({ providerId: 'openai', model: 'gpt-4o', credentialId });
    expect((await call(demo.apiKey, 'PATCH', '/api/v1/chatbots/demo', { definition })).status).toBe(200);
    await database(env.DB).delete(pluginConfigs).where(eq(pluginConfigs.id, credentialId));
    const res = await call(demo.apiKey, 'POST', '/api/v1/chatbots/demo/versions', { note: 'x' });
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('draft_invalid');
    expect(fields(res)).toEqual(['draft.definition.nodes.1.credentialId']);
    expect((await call(demo.apiKey, 'GET', '/api/v1/chatbots/demo')).body.publishedVersion).toBe(1);
  });

  it('validates the note, and needs an admin key and this team', async () => {
    const demo = await seedDemo();
    const tooLong = await call(demo.apiKey, 'POST', '/api/v1/chatbots/demo/versions', { note: 'x'.repeat(1001) });
    expect(fields(tooLong)).toEqual(['body.note']);
    expect((await call(null, 'POST', '/api/v1/chatbots/demo/versions', {})).status).toBe(401);
    const read = await keyWithScopes(demo.teamId, ['read', 'chat']);
    expect((await call(read, 'POST', '/api/v1/chatbots/demo/versions', {})).status).toBe(403);
    const other = await seedDemo();
    expect((await call(other.apiKey, 'POST', `/api/v1/chatbots/${demo.chatbotId}/versions`, {})).status).toBe(404);
    expect((await call(demo.apiKey, 'GET', '/api/v1/chatbots/demo')).body.publishedVersion).toBe(1);
  });

  it('asks for a draft first on a chatbot that has none', async () => {
    const demo = await seedDemo();
    const bot = await addChatbot(demo.teamId, defaultDefinition());
    // A chatbot written before drafts existed (or by hand): only its published version.
    await database(env.DB)
      .delete(chatbotVersions)
      .where(and(eq(chatbotVersions.chatbotId, bot), eq(chatbotVersions.number, 0)));
    const res = await call(demo.apiKey, 'POST', `/api/v1/chatbots/${bot}/versions`, {});
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('no_draft');
    expect((await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}`)).body.draft).toBeNull();
    await call(demo.apiKey, 'PATCH', `/api/v1/chatbots/${bot}`, { definition: definitionWith() });
    expect((await call(demo.apiKey, 'POST', `/api/v1/chatbots/${bot}/versions`, {})).body.number).toBe(2);
  });
});

describe('reading versions', () => {
  it('lists published versions newest first, a page at a time', async () => {
    const demo = await seedDemo();
    const bot = await newChatbot(demo.apiKey);
    for (const note of ['one', 'two', 'three'])
      await call(demo.apiKey, 'POST', `/api/v1/chatbots/${bot}/versions`, { note });
    const all = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions`);
    expect(numbers(all.body)).toEqual([3, 2, 1]);
    expect((all.body.data as Version[])[0]).not.toHaveProperty('definition');
    const first = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions?limit=2`);
    expect(numbers(first.body)).toEqual([3, 2]);
    const rest = await call(
      demo.apiKey,
      'GET',
      `/api/v1/chatbots/${bot}/versions?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(numbers(rest.body)).toEqual([1]);
    expect(rest.body.nextCursor).toBeNull();
    const bad = await call(demo.apiKey, 'GET', `/api/v1/chatbots/${bot}/versions?limit=0&cursor=${'x'.repeat(201)}`);
    expect(fields(bad)).toEqual(['query.cursor', 'query.limit']);
  });

  it('reads one version by number (0 is the draft), only in this team and with a read key', async () => {
    const demo = await seedDemo();
    const read = await keyWithScopes(demo.teamId, ['read']);
    const one = await call(read, 'GET', '/api/v1/chatbots/demo/versions/1');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ number: 1, status: 'published', note: 'Initial version' });
    expect((await call(read, 'GET', '/api/v1/chatbots/demo/versions/0')).body).toMatchObject({ status: 'draft' });
    expect((await call(read, 'GET', '/api/v1/chatbots/demo/versions/7')).status).toBe(404);
    expect(fields(await call(read, 'GET', '/api/v1/chatbots/demo/versions/first'))).toEqual(['param.number']);
    expect(fields(await call(read, 'GET', '/api/v1/chatbots/demo/versions/-1'))).toEqual(['param.number']);

    const other = await seedDemo();
    const chatOnly = await keyWithScopes(demo.teamId, ['chat']);
    for (const path of [
      `/api/v1/chatbots/${demo.chatbotId}/versions`,
      `/api/v1/chatbots/${demo.chatbotId}/versions/1`,
    ]) {
      expect((await call(null, 'GET', path)).status).toBe(401);
      expect((await call(chatOnly, 'GET', path)).status).toBe(403);
      expect((await call(other.apiKey, 'GET', path)).status).toBe(404);
    }
  });
});

describe('restoring a version', () => {
  it('copies the version into the draft and changes no published version', async () => {
    const demo = await seedDemo();
    const original = (await call(demo.apiKey, 'GET', '/api/v1/chatbots/demo/versions/1')).body;
    await call(demo.apiKey, 'PATCH', '/api/v1/chatbots/demo', { definition: definitionWith({ systemPrompt: 'Bad' }) });
    const broken = await call(demo.apiKey, 'POST', '/api/v1/chatbots/demo/versions', { note: 'oops' });
    expect(broken.body.number).toBe(2);

    const restored = await call(demo.apiKey, 'POST', '/api/v1/chatbots/demo/versions/1/restore');
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ publishedVersion: 2, draft: { number: 0, definition: original.definition } });
    expect((await call(demo.apiKey, 'GET', '/api/v1/chatbots/demo/versions/1')).body).toEqual(original);
    expect((await call(demo.apiKey, 'GET', '/api/v1/chatbots/demo/versions/2')).body).toEqual(broken.body);
    const republished = await call(demo.apiKey, 'POST', '/api/v1/chatbots/demo/versions', { note: 'rollback' });
    expect(republished.body).toMatchObject({ number: 3, definition: original.definition });
  });

  it('refuses the draft itself, unknown versions, other teams and non-admin keys', async () => {
    const demo = await seedDemo();
    expect(fields(await call(demo.apiKey, 'POST', '/api/v1/chatbots/demo/versions/0/restore'))).toEqual([
      'param.number',
    ]);
    expect((await call(demo.apiKey, 'POST', '/api/v1/chatbots/demo/versions/9/restore')).status).toBe(404);
    expect((await call(null, 'POST', '/api/v1/chatbots/demo/versions/1/restore')).status).toBe(401);
    const read = await keyWithScopes(demo.teamId, ['read', 'chat']);
    expect((await call(read, 'POST', '/api/v1/chatbots/demo/versions/1/restore')).status).toBe(403);
    const other = await seedDemo();
    const foreign = await call(other.apiKey, 'POST', `/api/v1/chatbots/${demo.chatbotId}/versions/1/restore`);
    expect(foreign.status).toBe(404);
  });
});
