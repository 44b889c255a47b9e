import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { openSession, seedWidget, widgetFetch } from '../widget/testing.ts';
import { MAX_UPLOAD_BYTES } from '../widget/uploads.ts';

const MB = 1024 * 1024;

/** A body of `bytes` streamed in 64 KiB chunks with no Content-Length, i.e. sent `transfer-encoding: chunked`. */
function chunked(bytes: number, fill = 0x61): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const size = Math.min(64 * 1024, bytes - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(fill));
    },
  });
  return { stream, pulled: () => sent };
}

/**
 * Bodies without a Content-Length are bounded while they stream in: the body limit (worker/http/app.ts) counts the
 * chunks and stops at the first one past 1 MB, uploads need a declared length that a FixedLengthStream enforces.
 */
describe('chunked request bodies', () => {
  it('answers a chunked 2 MB message with a JSON 413, without reading it all, and serves the next request', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const body = chunked(2 * MB);
    const res = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages`,
      authed(demo.apiKey, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body.stream }),
    );
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(body.pulled()).toBeLessThan(2 * MB);

    const next = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ text: 'after the big one' }) }),
    );
    expect(next.status).toBe(201);
  });

  it('bounds a chunked body to the widget’s JSON routes the same way', async () => {
    const { demo } = await seedWidget();
    const session = await openSession({ widgetKey: demo.widgetKey });
    const res = await widgetFetch(`/conversations/${session.conversationId}/messages`, session.token, {
      method: 'POST',
      body: chunked(2 * MB).stream,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('refuses a chunked upload (no Content-Length) with a JSON 411, and one longer than declared', async () => {
    const { demo } = await seedWidget();
    const session = await openSession({ widgetKey: demo.widgetKey });
    const path = `/conversations/${session.conversationId}/uploads?name=big.png`;
    const big = chunked(MAX_UPLOAD_BYTES + MB);
    const res = await widgetFetch(path, session.token, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: big.stream,
    });
    expect(res.status).toBe(411);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('length_required');
    expect(big.pulled()).toBeLessThan(MAX_UPLOAD_BYTES);

    const lying = await widgetFetch(path, session.token, {
      method: 'POST',
      headers: { 'content-type': 'image/png', 'content-length': String(MB) },
      body: chunked(2 * MB).stream,
    });
    expect(lying.status).toBeGreaterThanOrEqual(400);
    expect(lying.status).toBeLessThan(500);
  });
});
