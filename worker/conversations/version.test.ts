import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, scopedKey } from '../../test/api-fixtures.ts';
import { seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { chatbotVersions } from '../db/schema/index.ts';

const versionId = async (chatbotId: string, number: number) =>
  (
    await database(env.DB).query.chatbotVersions.findFirst({
      where: and(eq(chatbotVersions.chatbotId, chatbotId), eq(chatbotVersions.number, number)),
    })
  )?.id;

describe('POST /api/v1/conversations with a version', () => {
  it('talks to the draft with an admin key, and answers from it', async () => {
    const demo = await seedDemo();
    const admin = await scopedKey(demo.teamId, ['admin']);
    const res = await api.send(admin, 'POST', '/api/v1/conversations', { chatbotId: demo.chatbotId, version: 0 });
    expect(res.status).toBe(201);
    const conversation = (await res.json()) as { id: string; chatbotVersionId: string };
    expect(conversation.chatbotVersionId).toBe(await versionId(demo.chatbotId, 0));
    const sent = await api.send(admin, 'POST', `/api/v1/conversations/${conversation.id}/messages`, { text: 'hi' });
    expect(sent.status).toBe(201);
    expect(((await sent.json()) as { reply: { status: string } }).reply.status).toBe('complete');
  });

  it('pins a published version for chat keys but keeps the draft for editors', async () => {
    const demo = await seedDemo();
    const chat = await scopedKey(demo.teamId, ['chat']);
    const pinned = await api.send(chat, 'POST', '/api/v1/conversations', { chatbotId: demo.chatbotId, version: 1 });
    expect(pinned.status).toBe(201);
    expect(((await pinned.json()) as { chatbotVersionId: string }).chatbotVersionId).toBe(
      await versionId(demo.chatbotId, 1),
    );
    const draft = await api.send(chat, 'POST', '/api/v1/conversations', { chatbotId: demo.chatbotId, version: 0 });
    expect(draft.status).toBe(403);
    const missing = await api.send(chat, 'POST', '/api/v1/conversations', { chatbotId: demo.chatbotId, version: 99 });
    expect(missing.status).toBe(404);
  });
});
