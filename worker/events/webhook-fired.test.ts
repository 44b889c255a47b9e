import { env, SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { hmacSha256Hex } from '../../plugins/sdk/crypto.ts';
import { authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { pluginConfigs } from '../db/schema/index.ts';
import { SecretBox, secretContext } from '../security/secrets.ts';
import { logOf, offlineBot } from './testing.ts';

interface Received {
  headers: Record<string, string>;
  body: string;
}

const received = async (key: string): Promise<Received[]> =>
  (await fetch(`${inject('fakeServers')['webhook-receiver']}/__received/${key}`)).json() as Promise<Received[]>;

/** What a receiver does with Parley's headers (docs/events.md "Webhooks"). */
async function verifies(secret: string, request: Received): Promise<boolean> {
  const timestamp = request.headers['x-parley-timestamp'] ?? '';
  const expected = `v1=${await hmacSha256Hex(secret, `${timestamp}.${request.body}`)}`;
  return request.headers['x-parley-signature'] === expected;
}

/** A configuration of the team whose sealed secrets hold a `signingSecret` (any kind may: webhook-signing.ts). */
async function signingConfig(teamId: string, signingSecret: string): Promise<string> {
  const id = `cfg_${crypto.randomUUID()}`;
  const box = await SecretBox.fromBase64Url(env.ENCRYPTION_KEY);
  const now = Date.now();
  await database(env.DB)
    .insert(pluginConfigs)
    .values({
      id,
      teamId,
      kind: 'tool',
      pluginId: 'clock',
      name: id,
      uniqueKey: id,
      settings: {},
      secrets: await box.sealJson({ signingSecret }, secretContext(teamId, 'tool', id)),
      createdAt: now,
      updatedAt: now,
    });
  return id;
}

/**
 * Issue 17 §2 "call a webhook (signed with a per-team secret, retried)" from a real firing: a trigger's action leaves
 * the conversation object in its event outbox, the queue consumer (the real one, on the real local queue) calls the
 * receiver, and the receiver can verify the call with the team's secret — and not with another team's.
 */
describe('a webhook action fired by a trigger', { timeout: 40_000 }, () => {
  it('reaches the receiver through the queue, signed with the team’s secret or the named configuration’s', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const teamHook = crypto.randomUUID();
    const configHook = crypto.randomUUID();
    const receiver = inject('fakeServers')['webhook-receiver'];
    const configId = await signingConfig(demo.teamId, 'whsec_receiver-knows-this');
    const chatbotId = await offlineBot(demo.teamId, {
      triggers: [
        {
          id: 'notify',
          on: 'conversation_started',
          actions: [
            { type: 'webhook', url: `${receiver}/hooks/${teamHook}` },
            { type: 'webhook', url: `${receiver}/hooks/${configHook}`, secretCredentialId: configId },
          ],
        },
      ],
    });
    const conversationId = await startConversation(demo.apiKey, chatbotId);
    const sent = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ text: 'hello' }) }),
    );
    expect(sent.status).toBe(201);

    const log = await logOf(demo.apiKey, conversationId, 2);
    expect(log.map((entry) => [entry.action, entry.outcome, entry.attempt])).toEqual([
      ['webhook', 'ok', 1],
      ['webhook', 'ok', 1],
    ]);
    const [byTeam] = await received(teamHook);
    const [byConfig] = await received(configHook);
    if (!byTeam || !byConfig) throw new Error('the receiver got nothing');
    const payload = JSON.parse(byTeam.body) as { id: string; trigger: unknown; conversation: unknown };
    expect(payload.trigger).toEqual({ id: 'notify', type: 'conversation_started' });
    expect(payload.conversation).toMatchObject({ id: conversationId, chatbotId, channel: 'api' });
    expect(byTeam.headers['x-parley-event-id']).toBe(payload.id);
    expect(log.map((entry) => entry.id)).toContain(payload.id);

    // The receiver's admin reads the team's secret over the API (admin scope only; each team its own).
    const teamSecret = async (apiKey: string) => {
      const response = await SELF.fetch(`${BASE}/api/v1/events/webhook-secret`, authed(apiKey));
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      return ((await response.json()) as { secret: string }).secret;
    };
    const demoSecret = await teamSecret(demo.apiKey);
    expect(demoSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(await verifies(demoSecret, byTeam)).toBe(true);
    expect(await verifies(await teamSecret(other.apiKey), byTeam)).toBe(false);
    expect(await verifies('whsec_receiver-knows-this', byConfig)).toBe(true);
    expect(await verifies(demoSecret, byConfig)).toBe(false);
    // Sent once each: the message copies and the events share one flush, and nothing was redelivered into a repeat.
    expect(await received(teamHook)).toHaveLength(1);
  });
});
