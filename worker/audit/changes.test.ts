import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { authed, BASE, seedDemo } from '../../test/seed.ts';

interface Entry {
  action: string;
  targetId: string | null;
  changes: Record<string, { before?: unknown; after?: unknown }> | null;
}

const patch = (apiKey: string, chatbotId: string, body: unknown) =>
  SELF.fetch(`${BASE}/api/v1/chatbots/${chatbotId}`, authed(apiKey, { method: 'PATCH', body: JSON.stringify(body) }));

const updates = async (apiKey: string, chatbotId: string) => {
  const res = await SELF.fetch(`${BASE}/api/v1/audit-log?action=chatbot.update&targetId=${chatbotId}`, authed(apiKey));
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: Entry[] }).data;
};

describe('audit log records what changed, not what was sent', () => {
  it('keeps only applied, differing fields with before and after; ignored fields and no-ops leave nothing', async () => {
    const demo = await seedDemo();
    const before = (await (
      await SELF.fetch(`${BASE}/api/v1/chatbots/${demo.chatbotId}`, authed(demo.apiKey))
    ).json()) as {
      name: string;
    };
    const changed = await patch(demo.apiKey, demo.chatbotId, {
      name: before.name,
      description: 'now described',
      notAField: 'never applied',
    });
    expect(changed.status).toBe(200);
    const [entry] = await updates(demo.apiKey, demo.chatbotId);
    expect(entry?.changes).toEqual({ description: { before: expect.anything(), after: 'now described' } });
    expect(entry?.changes).not.toHaveProperty('notAField');
    expect(entry?.changes).not.toHaveProperty('name');

    // The same values again, and an empty patch: nothing changed, nothing recorded.
    expect((await patch(demo.apiKey, demo.chatbotId, { description: 'now described' })).status).toBe(200);
    expect((await patch(demo.apiKey, demo.chatbotId, { unknown: 1 })).status).toBeLessThan(500);
    expect(await updates(demo.apiKey, demo.chatbotId)).toHaveLength(1);
  });
});
