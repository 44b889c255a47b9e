import { describe, expect, it } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import { startConversation } from '../../test/seed.ts';
import { seedWidget } from '../widget/testing.ts';

interface Overview {
  byChannel: { channel: string; conversations: number }[];
}

// A widget session never used has no conversation at all (widget-first-message.test.ts); conversations with no
// messages are those started through the API and never written to.
describe('conversations with no messages (started through the API, never used)', () => {
  it('are left out of the conversation list and the analytics count by default', async () => {
    const { demo } = await seedWidget();
    const empty = [
      await startConversation(demo.apiKey, demo.chatbotId),
      await startConversation(demo.apiKey, demo.chatbotId),
    ];

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
