import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { authed, BASE, readUntil, seedDemo, startConversation } from '../../test/seed.ts';

type Responses = Record<string, { content?: Record<string, unknown> }>;

/** The OpenAPI document declares the status an SSE send really answers (it said 201; the stream answers 200). */
describe('OpenAPI: a streamed send', () => {
  it('declares text/event-stream under the status the route answers', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const sent = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages`,
      authed(demo.apiKey, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ text: 'Hello' }),
      }),
    );
    expect(sent.headers.get('content-type')).toContain('text/event-stream');
    await readUntil(sent, (text) => text.includes('event: done') || text.includes('event: message.completed'));

    const document = (await (await SELF.fetch(`${BASE}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Responses }>>;
    };
    const responses = document.paths['/api/v1/conversations/{id}/messages']?.post?.responses ?? {};
    const streaming = Object.entries(responses).filter(([, r]) => r.content?.['text/event-stream'] !== undefined);
    expect(streaming.map(([status]) => status)).toEqual([String(sent.status)]);
  });
});
