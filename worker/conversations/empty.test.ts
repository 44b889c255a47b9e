import { describe, expect, it } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import { openSession, seedWidget } from '../widget/testing.ts';

interface Overview {
  byChannel: { channel: string; conversations: number }[];
}

describe('conversations with no messages (a widget session opened but never used)', () => {
  it('are left out of the conversation list and the analytics count by default', async () => {
    const { demo } = await seedWidget();
    // Each session without an anonymousId is a new visitor, so a new (empty) conversation.
    const empty = [
      await openSession({ widgetKey: demo.widgetKey }),
      await openSession({ widgetKey: demo.widgetKey }),
    ].map((s) => s.conversationId);

    const ids = async (query: string) => {
      const res = await api.get(demo.apiKey, `/api/v1/conversations${query}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: { id: string }[] }).data.map((c) => c.id);
    };
    expect(await ids('')).not.toContain(empty[0]);
    expect(await ids(`?chatbotId=${demo.chatbotId}`)).not.toContain(empty[1]);
    expect(await ids('?includeEmpty=true')).toEqual(expect.arrayContaining(empty));
    expect((await api.get(demo.apiKey, '/api/v1/conversations?includeEmpty=yes')).status).toBe(400);

    const today = new Date().toISOString().slice(0, 10);
    const res = await api.get(demo.apiKey, `/api/v1/analytics/overview?from=${today}&to=${today}`);
    expect(res.status).toBe(200);
    const overview = (await res.json()) as Overview;
    expect(overview.byChannel.reduce((sum, row) => sum + row.conversations, 0)).toBe(0);
  });
});
