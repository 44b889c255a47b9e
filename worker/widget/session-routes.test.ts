import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { API, EVIL, ORIGIN, openSession, postSession, seedWidget } from './testing.ts';

const preflight = (origin: string | null) =>
  SELF.fetch(`${API}/conversations/conv_x/messages`, {
    method: 'OPTIONS',
    headers: {
      ...(origin && { origin }),
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });

describe('widget CORS preflight', () => {
  it('allows an origin some widget key lists, and refuses others or none', async () => {
    await seedWidget();
    const allowed = await preflight(ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const evil = await preflight(EVIL);
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(await evil.json()).toMatchObject({ error: { code: 'origin_not_allowed' } });
    expect((await preflight(null)).status).toBe(403);
  });
});

describe('POST /api/widget/v1/sessions', () => {
  it('starts an anonymous session with the chatbot and its widget settings filled in', async () => {
    const { demo } = await seedWidget();
    const res = await postSession({ widgetKey: demo.widgetKey });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('vary')).toContain('Origin');
    const session = (await res.json()) as Awaited<ReturnType<typeof openSession>>;
    expect(session).toMatchObject({
      token: expect.stringMatching(/^v1\./),
      conversationId: expect.stringMatching(/^conv_/),
      participantId: expect.stringMatching(/^ptc_/),
      anonymousId: expect.stringMatching(/^[\w-]{16,}$/),
      chatbot: {
        id: demo.chatbotId,
        name: 'Demo assistant',
        welcomeMessage: expect.stringContaining('Parley'),
        starterQuestions: expect.arrayContaining(['What is Parley?']),
        widget: {
          title: 'Demo assistant',
          primaryColor: '#2563eb',
          position: 'bottom-right',
          launcherIcon: 'chat',
          theme: 'auto',
        },
      },
    });
    expect(Date.parse(session.expiresAt) - Date.now()).toBeGreaterThan(59 * 60_000);
    // The same browser (same anonymousId) comes back to the same conversation.
    const again = await openSession({ widgetKey: demo.widgetKey, anonymousId: session.anonymousId });
    expect(again.conversationId).toBe(session.conversationId);
    expect(again.participantId).toBe(session.participantId);
  });

  it('checks the origin: allowed, not allowed, missing', async () => {
    const { demo } = await seedWidget();
    expect((await postSession({ widgetKey: demo.widgetKey }, 'http://127.0.0.1:8787')).status).toBe(200);
    const evil = await postSession({ widgetKey: demo.widgetKey }, EVIL);
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(await evil.json()).toMatchObject({ error: { code: 'origin_not_allowed' } });
    expect((await postSession({ widgetKey: demo.widgetKey }, null)).status).toBe(403);
    expect((await postSession({ widgetKey: 'wk_unknown' })).status).toBe(401);
    expect((await postSession({ widgetKey: demo.widgetKey, anonymousId: 'short' })).status).toBe(400);
  });

  it('verifies the identity hash and continues a signed-in user across devices', async () => {
    const { demo, sign } = await seedWidget();
    const wrong = await postSession({
      widgetKey: demo.widgetKey,
      identity: { id: 'user-42', hash: await sign('user-43') },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'invalid_identity' } });
    // The page may read the refusal: the origin was allowed.
    expect(wrong.headers.get('access-control-allow-origin')).toBe(ORIGIN);

    const identity = { id: 'user-42', name: 'Ada', email: 'ada@example.com', hash: await sign('user-42') };
    const laptop = await openSession({ widgetKey: demo.widgetKey, identity, anonymousId: 'laptop-browser-0001' });
    expect(laptop.anonymousId).toBeNull();
    const phone = await openSession({ widgetKey: demo.widgetKey, identity, anonymousId: 'phone-browser-00001' });
    expect(phone.participantId).toBe(laptop.participantId);
    expect(phone.conversationId).toBe(laptop.conversationId);
    // An anonymous visitor cannot claim the user's id as its anonymousId.
    const claim = await openSession({ widgetKey: demo.widgetKey, anonymousId: 'user-42-user-42-user-42' });
    expect(claim.participantId).not.toBe(laptop.participantId);
    const prefixed = await postSession({
      widgetKey: demo.widgetKey,
      identity: { id: 'anon:x', hash: await sign('anon:x') },
    });
    expect(prefixed.status).toBe(400);
  });

  it('never continues another participant’s conversation', async () => {
    const { demo } = await seedWidget();
    const alice = await openSession({ widgetKey: demo.widgetKey });
    const mallory = await openSession({ widgetKey: demo.widgetKey, conversationId: alice.conversationId });
    expect(mallory.conversationId).not.toBe(alice.conversationId);
    const aliceAgain = await openSession({
      widgetKey: demo.widgetKey,
      anonymousId: alice.anonymousId,
      conversationId: alice.conversationId,
    });
    expect(aliceAgain.conversationId).toBe(alice.conversationId);
  });
});
