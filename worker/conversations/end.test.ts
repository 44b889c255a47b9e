import { describe, expect, it } from 'vitest';
import { api, errorFields, scopedKey } from '../../test/api-fixtures.ts';
import { seedDemo, startConversation } from '../../test/seed.ts';

const end = (key: string, id: string) => api.send(key, 'POST', `/api/v1/conversations/${id}/end`);

describe('POST /api/v1/conversations/{id}/end', () => {
  it('ends a conversation once; ending again changes nothing; new messages are refused with 409', async () => {
    const demo = await seedDemo();
    const id = await startConversation(demo.apiKey, demo.chatbotId);
    const first = await end(demo.apiKey, id);
    expect(first.status).toBe(200);
    const ended = (await first.json()) as { id: string; status: string; tags: string[] };
    expect(ended).toMatchObject({ id, status: 'ended', tags: [] });
    const again = await end(demo.apiKey, id);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(ended);
    const stored = await api.get(demo.apiKey, `/api/v1/conversations/${id}`);
    expect(((await stored.json()) as { status: string }).status).toBe('ended');
    const message = await api.send(demo.apiKey, 'POST', `/api/v1/conversations/${id}/messages`, { text: 'hello?' });
    expect(message.status).toBe(409);
    expect(((await message.json()) as { error: { code: string } }).error.code).toBe('conversation_ended');
  });

  it('needs the chat scope; another team gets 404; no key 401; a bad id 400', async () => {
    const demo = await seedDemo();
    const id = await startConversation(demo.apiKey, demo.chatbotId);
    expect((await api.anonymous(`/api/v1/conversations/${id}/end`, 'POST')).status).toBe(401);
    expect((await end(await scopedKey(demo.teamId, ['read']), id)).status).toBe(403);
    const other = await seedDemo();
    expect((await end(other.apiKey, id)).status).toBe(404);
    const stored = await api.get(demo.apiKey, `/api/v1/conversations/${id}`);
    expect(((await stored.json()) as { status: string }).status).toBe('active');
    const badId = await end(demo.apiKey, 'c'.repeat(65));
    expect(badId.status).toBe(400);
    expect(await errorFields(badId)).toEqual(['param.id']);
    expect((await end(await scopedKey(demo.teamId, ['chat']), id)).status).toBe(200);
  });
});
