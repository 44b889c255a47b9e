import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { authed, BASE, seedDemo } from '../../test/seed.ts';
import worker from '../../test/worker.ts';
import { METER_PREFIX, type MeterLine } from '../ports/meter-line.ts';

/** One metered request through the Worker's fetch; returns its status, body and the control-plane reads it made. */
async function send(key: string, method: string, path: string, body?: unknown) {
  const lines: MeterLine[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
    if (typeof line === 'string' && line.startsWith(METER_PREFIX))
      lines.push(JSON.parse(line.slice(METER_PREFIX.length)) as MeterLine);
  });
  try {
    const ctx = createExecutionContext();
    const init = { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
    const res = await worker.fetch(
      new Request(`${BASE}${path}`, authed(key, init)),
      { ...env, PARLEY_METER: '1' },
      ctx,
    );
    const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    await waitOnExecutionContext(ctx);
    const reads = lines
      .filter((line) => line.kind === 'd1' && line.binding === 'DB')
      .reduce((sum, line) => sum + line.count - (line.writes ?? 0), 0);
    return { status: res.status, json, reads };
  } finally {
    log.mockRestore();
  }
}

describe('starting conversations (POST /api/v1/conversations)', () => {
  it('reads the chatbot from D1 once per isolate, and sees a publish or an archive made here at once', async () => {
    const demo = await seedDemo();
    const start = () => send(demo.apiKey, 'POST', '/api/v1/conversations', { chatbotId: demo.chatbotId });
    const first = await start();
    expect(first.status).toBe(201);
    // The API key and the chatbot.
    expect(first.reads).toBe(2);
    const second = await start();
    expect(second.status).toBe(201);
    expect(second.reads).toBe(0);
    expect(second.json?.chatbotVersionId).toBe(first.json?.chatbotVersionId);

    const published = await send(demo.apiKey, 'POST', `/api/v1/chatbots/${demo.chatbotId}/versions`, {});
    expect(published.status).toBe(201);
    const after = await start();
    expect(after.status).toBe(201);
    expect(after.json?.chatbotVersionId).toBe(published.json?.id);
    expect(after.json?.chatbotVersionId).not.toBe(first.json?.chatbotVersionId);

    expect((await send(demo.apiKey, 'POST', `/api/v1/chatbots/${demo.chatbotId}/archive`)).status).toBe(200);
    const archived = await start();
    expect(archived.status).toBe(409);
  });

  it('never remembers an unknown chatbot, and keeps teams apart', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    expect((await send(demo.apiKey, 'POST', '/api/v1/conversations', { chatbotId: demo.chatbotId })).status).toBe(201);
    // Another team naming this chatbot: 404 from D1, not this team's cached entry.
    const foreign = await send(other.apiKey, 'POST', '/api/v1/conversations', { chatbotId: demo.chatbotId });
    expect(foreign.status).toBe(404);
    const again = await send(other.apiKey, 'POST', '/api/v1/conversations', { chatbotId: demo.chatbotId });
    expect(again.status).toBe(404);
    expect(again.reads).toBe(1);
  });
});
