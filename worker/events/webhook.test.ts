import { env, SELF } from 'cloudflare:test';
import { describe, expect, inject, it, vi } from 'vitest';
import { hmacSha256Hex } from '../../plugins/sdk/crypto.ts';
import { authed, BASE, seedDemo } from '../../test/seed.ts';
import type { EventsMessage } from '../queue/messages.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';
import { consumeEventMessages, type EventConsumerDeps, WEBHOOK_ATTEMPTS, webhookBackoffSeconds } from './consumer.ts';
import type { EventLogView } from './log-routes.ts';

function queued(body: EventsMessage) {
  const state = { acked: false, retried: false };
  const message = {
    id: crypto.randomUUID(),
    timestamp: new Date(),
    attempts: 1,
    body,
    ack: () => {
      state.acked = true;
    },
    retry: () => {
      state.retried = true;
    },
  } as unknown as Message<EventsMessage>;
  return { message, state };
}

describe('webhook actions', { timeout: 20_000 }, () => {
  it('signs each call, logs a failing one, retries it with backoff alone, and still runs the others', async () => {
    const demo = await seedDemo();
    const echo = inject('fakeServers')['http-echo'];
    const sent: Request[] = [];
    const retries: { body: EventsMessage; delaySeconds: number }[] = [];
    const deps: EventConsumerDeps = {
      fetch: async (input, init) => {
        sent.push(new Request(input, init));
        return outboundFetch(env)(input, init);
      },
      retry: async (body, delaySeconds) => {
        retries.push({ body, delaySeconds });
      },
      now: () => 1_800_000_000_000,
    };
    const ref = { conversationId: 'conv_x', teamId: demo.teamId, chatbotId: demo.chatbotId, participantId: null };
    const call = (logId: string, url: string) => ({
      logId,
      triggerId: 'notify',
      triggerType: 'inactivity',
      url,
      payload: { id: logId, trigger: { id: 'notify', type: 'inactivity' } },
      attempt: 1,
      firedAt: 1,
    });
    const first = queued({
      type: 'events.fired',
      ref,
      entries: [],
      tags: [],
      ended: false,
      webhooks: [call('evl_fail', `${echo}/status/500`), call('evl_ok', `${echo}/echo`)],
    });
    await consumeEventMessages([first.message], env, deps);
    expect(first.state).toEqual({ acked: true, retried: false });

    // Signed: v1=HMAC-SHA256("<timestamp>.<body>") under the team's events secret.
    const ok = sent.find((request) => request.url.endsWith('/echo')) as Request;
    const timestamp = ok.headers.get('x-parley-timestamp') as string;
    expect(timestamp).toBe('1800000000');
    const secret = await hmacSha256Hex(env.ENCRYPTION_KEY, `parley-events-webhook:${demo.teamId}`);
    const body = await ok.text();
    expect(ok.headers.get('x-parley-signature')).toBe(`v1=${await hmacSha256Hex(secret, `${timestamp}.${body}`)}`);
    expect(ok.headers.get('x-parley-event-id')).toBe('evl_ok');

    // Only the failing call comes back, as attempt 2, after the first backoff.
    expect(retries).toHaveLength(1);
    expect(retries[0]?.delaySeconds).toBe(webhookBackoffSeconds(2));
    expect(retries[0]?.body).toMatchObject({ type: 'events.webhook', call: { logId: 'evl_fail', attempt: 2 } });

    // Attempts up to the last are retried; the last is only logged.
    let next = retries[0]?.body as EventsMessage;
    for (let attempt = 2; attempt <= WEBHOOK_ATTEMPTS; attempt++) {
      retries.length = 0;
      const item = queued(next);
      await consumeEventMessages([item.message], env, deps);
      expect(item.state.acked).toBe(true);
      if (attempt < WEBHOOK_ATTEMPTS) next = retries[0]?.body as EventsMessage;
      else expect(retries).toEqual([]);
    }
    expect(webhookBackoffSeconds(3)).toBeGreaterThan(webhookBackoffSeconds(2));

    const res = await SELF.fetch(`${BASE}/api/v1/events/log?conversationId=conv_x`, authed(demo.apiKey));
    const { data } = (await res.json()) as { data: EventLogView[] };
    const failures = data.filter((entry) => entry.outcome === 'error');
    expect(failures.map((entry) => entry.attempt).sort()).toEqual([1, 2, 3, 4]);
    expect(failures[0]?.error).toBe('the webhook answered HTTP 500');
    expect(data.filter((entry) => entry.outcome === 'ok')).toHaveLength(1);

    // A redelivered batch writes no second row for the same attempt.
    await consumeEventMessages([queued(first.message.body).message], env, { ...deps, retry: vi.fn() });
    const again = (await (
      await SELF.fetch(`${BASE}/api/v1/events/log?conversationId=conv_x`, authed(demo.apiKey))
    ).json()) as { data: EventLogView[] };
    expect(again.data).toHaveLength(data.length);
  });
});
