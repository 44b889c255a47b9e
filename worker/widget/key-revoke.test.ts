import { describe, expect, it } from 'vitest';
import { api, scopedKey } from '../../test/api-fixtures.ts';
import { ORIGIN, openSession, seedWidget, widgetFetch } from './testing.ts';

describe('revoking a widget key', () => {
  it('stops the tokens it issued on their next request, not at expiry; other keys keep working', async () => {
    const { demo } = await seedWidget();
    const admin = await scopedKey(demo.teamId, ['admin']);
    const created = await api.send(admin, 'POST', `/api/v1/chatbots/${demo.chatbotId}/widget-keys`, {
      allowedOrigins: [ORIGIN],
    });
    expect(created.status).toBe(201);
    const doomed = (await created.json()) as { id: string; key: string };
    const session = await openSession({ widgetKey: doomed.key });
    const other = await openSession({ widgetKey: demo.widgetKey });
    const messages = (s: { conversationId: string }) => `/conversations/${s.conversationId}/messages`;
    expect((await widgetFetch(messages(session), session.token)).status).toBe(200);

    const revoke = await api.send(admin, 'DELETE', `/api/v1/widget-keys/${doomed.id}`);
    expect(revoke.status).toBeLessThan(300);

    const calls: [string, string?][] = [
      ['GET', undefined],
      ['POST', JSON.stringify({ text: 'still there?', clientMessageId: 'after-revoke' })],
    ];
    for (const [method, body] of calls) {
      const res = await widgetFetch(messages(session), session.token, { method, body });
      expect(res.status, method).toBe(401);
      expect(await res.json(), method).toMatchObject({ error: { code: 'widget_key_revoked' } });
    }
    const events = await widgetFetch(`/conversations/${session.conversationId}/events`, session.token);
    expect(events.status).toBe(401);
    expect((await widgetFetch(messages(other), other.token)).status).toBe(200);
  });
});
