import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, errorFields, insertConversation, scopedKey } from '../../test/api-fixtures.ts';
import { authed, BASE, readUntil, seedDemo, startConversation } from '../../test/seed.ts';
import { conversationStub } from '../conversation/stub.ts';
import type { SessionState } from './session-state.ts';

const path = (id: string) => `/api/v1/conversations/${id}/session-state`;
const stateOf = async (key: string, id: string) =>
  ((await (await api.get(key, path(id))).json()) as SessionState).state;

const objectTables = (conversationId: string) =>
  runInDurableObject(env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(conversationId)), (_instance, state) =>
    state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'").toArray(),
  );

describe('session state API', () => {
  it('answers {} for a conversation whose object never started, without starting it; PUT starts it', async () => {
    const demo = await seedDemo();
    const id = await insertConversation(demo.teamId, demo.chatbotId);
    expect(await stateOf(demo.apiKey, id)).toEqual({});
    expect((await api.send(demo.apiKey, 'DELETE', path(id))).status).toBe(204);
    expect(await objectTables(id)).toEqual([]);

    const put = await api.send(demo.apiKey, 'PUT', path(id), { step: 'ask_email', attempts: 1 });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ state: { step: 'ask_email', attempts: 1 } });
    expect(await objectTables(id)).toHaveLength(1);
    // Stored where pipeline runs read it: the object's meta table, key session_state.
    expect(await conversationStub(env, id).sessionState()).toEqual({ step: 'ask_email', attempts: 1 });
  });

  it('replaces the state whole, resets it with DELETE, and keeps it across calls', async () => {
    const demo = await seedDemo();
    const id = await startConversation(demo.apiKey, demo.chatbotId);
    await api.send(demo.apiKey, 'PUT', path(id), { a: 1, b: { c: [1, 2] } });
    expect(await stateOf(demo.apiKey, id)).toEqual({ a: 1, b: { c: [1, 2] } });
    await api.send(demo.apiKey, 'PUT', path(id), { d: true });
    expect(await stateOf(demo.apiKey, id)).toEqual({ d: true });
    expect((await api.send(demo.apiKey, 'DELETE', path(id))).status).toBe(204);
    expect(await stateOf(demo.apiKey, id)).toEqual({});
  });

  it('refuses a write while a reply is being generated (409 turn_running), and accepts it after', async () => {
    const demo = await seedDemo();
    const id = await startConversation(demo.apiKey, demo.chatbotId);
    const res = await SELF.fetch(
      `${BASE}/api/v1/conversations/${id}/messages`,
      authed(demo.apiKey, {
        method: 'POST',
        headers: { accept: 'text/event-stream' },
        body: JSON.stringify({ text: 'Tell me a long story about session state, please, with many words' }),
      }),
    );
    // The demo's offline model paces its tokens: after the first delta the turn is still running.
    await readUntil(res, (text) => text.includes('"type":"delta"'));
    const busy = await api.send(demo.apiKey, 'PUT', path(id), { step: 'edited' });
    expect(busy.status).toBe(409);
    expect(((await busy.json()) as { error: { code: string } }).error.code).toBe('turn_running');
    expect((await api.send(demo.apiKey, 'DELETE', path(id))).status).toBe(409);

    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await api.send(demo.apiKey, 'PUT', path(id), { step: 'edited' })).status;
      if (status !== 409) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    expect(await stateOf(demo.apiKey, id)).toEqual({ step: 'edited' });
  });

  it("answers 404 for another team's conversation and 400 for a body that is not an object or too large", async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const id = await startConversation(demo.apiKey, demo.chatbotId);
    await api.send(demo.apiKey, 'PUT', path(id), { secret: 'demo-only' });
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await api.send(other.apiKey, method, path(id), method === 'PUT' ? {} : undefined);
      expect(res.status, method).toBe(404);
    }
    for (const body of [[1], 'text', null]) {
      const res = await api.send(demo.apiKey, 'PUT', path(id), body);
      expect(res.status).toBe(400);
      expect(await errorFields(res)).toEqual(['body']);
    }
    const big = await api.send(demo.apiKey, 'PUT', path(id), { blob: 'x'.repeat(256 * 1024) });
    expect(big.status).toBe(400);
    expect(await errorFields(big)).toEqual(['body']);
    expect(await stateOf(demo.apiKey, id)).toEqual({ secret: 'demo-only' });
    const reader = await scopedKey(demo.teamId, ['read']);
    expect((await api.send(reader, 'PUT', path(id), {})).status).toBe(403);
  });
});
