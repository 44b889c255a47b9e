import { describe, expect, it } from 'vitest';
import { api, errorFields } from '../../test/api-fixtures.ts';
import { seedDemo, startConversation } from '../../test/seed.ts';

interface MessagePage {
  data: { position: number; role: string; content: string; tags: string[] }[];
  nextCursor: string | null;
}

const messagesPath = (id: string) => `/api/v1/conversations/${id}/messages`;

describe('GET /api/v1/conversations/{id}/messages', () => {
  it('pages through the transcript oldest first by cursor, every message exactly once', async () => {
    const demo = await seedDemo();
    const id = await startConversation(demo.apiKey, demo.chatbotId);
    for (const text of ['one', 'two', 'three']) {
      expect((await api.send(demo.apiKey, 'POST', messagesPath(id), { text })).status).toBe(201);
    }

    const whole = (await (await api.get(demo.apiKey, messagesPath(id))).json()) as MessagePage;
    expect(whole.data.map((m) => m.position)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(whole.nextCursor).toBeNull();

    const positions: number[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const res = await api.get(demo.apiKey, `${messagesPath(id)}?limit=4${query}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as MessagePage;
      positions.push(...page.data.map((m) => m.position));
      pageSizes.push(page.data.length);
      cursor = page.nextCursor;
    } while (cursor);
    expect(positions).toEqual([1, 2, 3, 4, 5, 6]);
    expect(pageSizes).toEqual([4, 2]);

    // A page boundary exactly at the end says so: no next page that would come back empty.
    const exact = (await (await api.get(demo.apiKey, `${messagesPath(id)}?limit=6`)).json()) as MessagePage;
    expect(exact.data).toHaveLength(6);
    expect(exact.nextCursor).toBeNull();
    // Three full turns on a loaded 2-core CI machine can pass vitest's 5 s default.
  }, 20_000);

  it('refuses a bad cursor and an out-of-range limit, naming the field', async () => {
    const demo = await seedDemo();
    const id = await startConversation(demo.apiKey, demo.chatbotId);
    const bad = await api.get(demo.apiKey, `${messagesPath(id)}?cursor=bm9wZQ`);
    expect(bad.status).toBe(400);
    expect(await errorFields(bad)).toEqual(['query.cursor']);
    const big = await api.get(demo.apiKey, `${messagesPath(id)}?limit=201`);
    expect(big.status).toBe(400);
    expect(await errorFields(big)).toEqual(['query.limit']);
  });
});
