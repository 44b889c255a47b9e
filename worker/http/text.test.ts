import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { errorFields } from '../../test/api-fixtures.ts';
import { authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { humanText } from './text.ts';

const LONE_SURROGATE = 'ab\uD800cd';
const BAD_ONE_LINE = [
  'nul\u0000byte',
  LONE_SURROGATE,
  'evil\u202Etxt.exe',
  '\uFEFFbom',
  'line\nbreak',
  'esc\u001B[31m',
];

describe('human-visible text', () => {
  it('normalises to NFC and refuses controls, lone surrogates, bidi overrides and BOMs', () => {
    const oneLine = humanText().trim().max(5);
    expect(oneLine.parse('Cafe\u0301')).toBe('Café');
    expect(oneLine.parse(' Café ')).toBe('Café');
    for (const bad of BAD_ONE_LINE) expect(oneLine.safeParse(bad).success, JSON.stringify(bad)).toBe(false);

    const multiline = humanText({ multiline: true });
    expect(multiline.parse('one\ntwo\r\n\tthree')).toBe('one\ntwo\r\n\tthree');
    expect(multiline.safeParse('nul\u0000').success).toBe(false);
    expect(multiline.safeParse('rtl\u202E').success).toBe(false);

    const typed = humanText({ multiline: true, allowBidi: true });
    expect(typed.parse('שלום\u202Bעולם\u202C')).toBe('שלום\u202Bעולם\u202C');
    expect(typed.safeParse(LONE_SURROGATE).success).toBe(false);
  });

  it('refuses broken text in names, descriptions, tags and comments with a 400 naming the field', async () => {
    const demo = await seedDemo();
    const send = (method: string, path: string, body: unknown) =>
      SELF.fetch(`${BASE}${path}`, authed(demo.apiKey, { method, body: JSON.stringify(body) }));
    for (const bad of BAD_ONE_LINE) {
      const res = await send('POST', '/api/v1/chatbots', { name: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(await errorFields(res)).toEqual(['body.name']);
    }
    const description = await send('PATCH', `/api/v1/chatbots/${demo.chatbotId}`, { description: 'a\u0000b' });
    expect(await errorFields(description)).toEqual(['body.description']);
    const keyName = await send('POST', '/api/v1/api-keys', { name: 'ci\u202Ekey', scopes: ['read'] });
    expect(await errorFields(keyName)).toEqual(['body.name']);
    const participant = await send('PUT', '/api/v1/participants/api/u1', { name: `x${LONE_SURROGATE}` });
    expect(await errorFields(participant)).toEqual(['body.name']);

    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const tags = await send('PUT', `/api/v1/conversations/${conversationId}/tags`, { tags: ['ok', 'bad\uFEFF'] });
    expect(await errorFields(tags)).toEqual(['body.tags.1']);
    const tooMany = await send('PUT', `/api/v1/conversations/${conversationId}/tags`, {
      tags: Array.from({ length: 21 }, (_, i) => `t${i}`),
    });
    expect(await errorFields(tooMany)).toEqual(['body.tags']);
    const tooLong = await send('PUT', `/api/v1/conversations/${conversationId}/tags`, { tags: ['x'.repeat(51)] });
    expect(await errorFields(tooLong)).toEqual(['body.tags.0']);
    const comment = await send('POST', `/api/v1/conversations/${conversationId}/comments`, { body: 'hi\u0007' });
    expect(await errorFields(comment)).toEqual(['body.body']);

    const created = await send('POST', '/api/v1/chatbots', { name: 'Cafe\u0301 bot', description: 'one\ntwo' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: 'Café bot', description: 'one\ntwo' });
  });

  it('refuses a message with a lone surrogate or a NUL, keeps newlines and right-to-left marks', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const post = (text: string) =>
      SELF.fetch(
        `${BASE}/api/v1/conversations/${conversationId}/messages`,
        authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ text }) }),
      );
    for (const bad of [LONE_SURROGATE, 'nul\u0000']) {
      const res = await post(bad);
      expect(res.status).toBe(400);
      expect(await errorFields(res)).toEqual(['body.text']);
    }
    const ok = await post('line one\nשלום\u202B!\u202C');
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { message: { content: string } }).message.content).toBe('line one\nשלום\u202B!\u202C');
  });
});
