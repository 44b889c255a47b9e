import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { authed, BASE, seedDemo } from '../../test/seed.ts';

const post = (apiKey: string, path: string, body: unknown) =>
  SELF.fetch(`${BASE}${path}`, authed(apiKey, { method: 'POST', body: JSON.stringify(body) }));

async function slugOf(apiKey: string, chatbotId: string): Promise<string> {
  const res = await SELF.fetch(`${BASE}/api/v1/chatbots/${chatbotId}`, authed(apiKey));
  return ((await res.json()) as { slug: string }).slug;
}

/** Every route that names a chatbot takes its id or its slug (one resolver: findChatbot). */
describe('a chatbot named by slug', () => {
  it('starts a conversation, triggers a message and filters analytics and usage', async () => {
    const demo = await seedDemo();
    const slug = await slugOf(demo.apiKey, demo.chatbotId);
    expect(slug).not.toBe(demo.chatbotId);

    const started = await post(demo.apiKey, '/api/v1/conversations', { chatbotId: slug, participant: { id: 'ada' } });
    expect(started.status).toBe(201);
    const conversation = (await started.json()) as { chatbotId: string; participantId: string };
    expect(conversation.chatbotId).toBe(demo.chatbotId);

    const triggered = await post(demo.apiKey, `/api/v1/chatbots/${slug}/trigger`, {
      participantId: conversation.participantId,
      text: 'Hello by slug',
    });
    expect(triggered.status).toBe(202);

    for (const path of ['/api/v1/analytics/overview', '/api/v1/usage']) {
      const res = await SELF.fetch(`${BASE}${path}?chatbotId=${slug}`, authed(demo.apiKey));
      expect(res.status, path).toBe(200);
    }
  });

  it('answers 404 for another team’s slug, everywhere', async () => {
    const mine = await seedDemo();
    const theirs = await seedDemo();
    // The demo slug exists in both teams; a chatbot only the other team has:
    const created = await post(theirs.apiKey, '/api/v1/chatbots', { name: 'Their private bot' });
    const { slug } = (await created.json()) as { slug: string };
    expect((await post(mine.apiKey, '/api/v1/conversations', { chatbotId: slug })).status).toBe(404);
    expect(
      (await post(mine.apiKey, `/api/v1/chatbots/${slug}/trigger`, { participantId: 'x', text: 'x' })).status,
    ).toBe(404);
    const usage = await SELF.fetch(`${BASE}/api/v1/usage?chatbotId=${slug}`, authed(mine.apiKey));
    expect(usage.status).toBe(404);
  });
});
