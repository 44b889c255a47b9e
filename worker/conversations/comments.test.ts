import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, errorFields, scopedKey } from '../../test/api-fixtures.ts';
import { BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { addMember, signIn, withSession } from '../auth/testing.ts';

interface Comment {
  id: string;
  messageId: string | null;
  author: { type: string; id: string; label: string };
  body: string;
}

describe('conversation comments', () => {
  it('lets a signed-in editor and an API key comment, lists newest first, and deletes only their own', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const path = `/api/v1/conversations/${conversationId}/comments`;
    const editor = await signIn((await addMember(demo.teamId, 'editor')).email);
    const byPerson = await SELF.fetch(
      `${BASE}${path}`,
      withSession(editor, { method: 'POST', body: JSON.stringify({ body: 'Check the refund policy' }) }),
    );
    expect(byPerson.status).toBe(201);
    const personal = (await byPerson.json()) as Comment;
    expect(personal.author).toMatchObject({ type: 'user', id: editor.userId });

    const chat = await scopedKey(demo.teamId, ['chat']);
    const byKey = await api.send(chat, 'POST', path, { body: 'Flagged by the CRM' });
    expect(((await byKey.json()) as Comment).author.type).toBe('api_key');

    const listed = (await (await api.get(await scopedKey(demo.teamId, ['read']), path)).json()) as { data: Comment[] };
    expect(listed.data.map((c) => c.body)).toEqual(['Flagged by the CRM', 'Check the refund policy']);

    // The chat key did not write the editor's note: 403; the editor may delete their own.
    expect((await api.send(chat, 'DELETE', `${path}/${personal.id}`)).status).toBe(403);
    const own = await SELF.fetch(`${BASE}${path}/${personal.id}`, withSession(editor, { method: 'DELETE' }));
    expect(own.status).toBe(204);
  });

  it('refuses empty bodies, messages of other conversations, and other teams', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const admin = await scopedKey(demo.teamId, ['admin']);
    const path = `/api/v1/conversations/${conversationId}/comments`;
    expect(await errorFields(await api.send(admin, 'POST', path, { body: '  ' }))).toEqual(['body.body']);
    const stray = await api.send(admin, 'POST', path, { body: 'x', messageId: 'msg_not_here' });
    expect(await errorFields(stray)).toEqual(['body.messageId']);
    const theirs = await startConversation(other.apiKey, other.chatbotId);
    expect((await api.get(admin, `/api/v1/conversations/${theirs}/comments`)).status).toBe(404);
    expect((await api.send(admin, 'POST', `/api/v1/conversations/${theirs}/comments`, { body: 'x' })).status).toBe(404);
  });
});
