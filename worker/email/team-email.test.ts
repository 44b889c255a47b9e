import { env, SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import { authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { call } from '../chatbots/testing.ts';
import type { Env } from '../env.ts';
import { listSunkEmail } from './local-sink.ts';
import { teamEmail } from './team-email.ts';

const message = { to: ['ops@example.com'], subject: 'Escalation', text: 'Body', idempotencyKey: 'run_1:email' };

interface ResendSend {
  id: string;
  idempotencyKey?: string;
  authorization?: string;
  body: { from: string; to: string[]; subject: string; text: string };
}

const resendUrl = (): string => {
  const url = inject('fakeServers').resend;
  if (!url) throw new Error('the fake Resend server is not running');
  return url;
};

/** What the fake Resend API accepted whose JSON mentions `needle`. */
async function resendSends(needle: string): Promise<ResendSend[]> {
  const res = await fetch(`${resendUrl()}/__requests?contains=${encodeURIComponent(needle)}`);
  return (await res.json()) as ResendSend[];
}

/** A fresh team that configured `pluginId` as its email sender through the plugin-config API. */
async function teamWithSender(pluginId: string, settings: Record<string, unknown>) {
  const demo = await seedDemo();
  const res = await api.send(demo.apiKey, 'POST', '/api/v1/plugin-configs', { pluginId, settings });
  expect(res.status).toBe(201);
  const body = await res.text();
  expect(body).not.toContain('re_test_key');
  return demo;
}

const resendSettings = () => ({
  apiKey: 're_test_key',
  from: 'Acme Support <support@acme.test>',
  baseUrl: resendUrl(),
});

describe('teamEmail', () => {
  it('puts mail of a team with no sender in the local sink, once per idempotency key', async () => {
    const email = teamEmail(env, 'team_sink');
    const first = await email.send(message);
    const again = await email.send(message);
    await email.send({ ...message, idempotencyKey: 'run_2:email', subject: 'Second' });
    expect(again).toEqual(first);
    const sunk = await listSunkEmail(env, 'team_sink');
    expect(sunk.map((mail) => mail.subject)).toEqual(['Escalation', 'Second']);
    expect(sunk[0]).toMatchObject({ to: ['ops@example.com'], text: 'Body', teamId: 'team_sink' });
    expect(await listSunkEmail(env, 'team_other')).toEqual([]);
  });

  it('refuses when the deployment is not local and no sender is configured', async () => {
    const email = teamEmail({ ...env, EMAIL_SINK: undefined } as Env, 'team_none');
    await expect(email.send(message)).rejects.toThrow(/email is not configured/);
  });

  it('sends through a team’s resend configuration as its from address, once per key, none to the sink', async () => {
    const demo = await teamWithSender('resend', resendSettings());
    const subject = `Resend ${crypto.randomUUID()}`;
    const email = teamEmail(env, demo.teamId);
    const sent = await email.send({ ...message, subject });
    expect(await email.send({ ...message, subject })).toEqual(sent);
    const received = await resendSends(subject);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      id: sent.id,
      idempotencyKey: 'run_1:email',
      authorization: 'Bearer re_test_key',
      body: { from: 'Acme Support <support@acme.test>', to: ['ops@example.com'], subject, text: 'Body' },
    });
    expect(await listSunkEmail(env, demo.teamId)).toEqual([]);
  });

  it('turns Resend’s 429 into a retryable node error and a refused recipient into a final one', async () => {
    const demo = await teamWithSender('resend', resendSettings());
    const email = teamEmail(env, demo.teamId);
    const limited = await email
      .send({ ...message, to: ['rate-limited@example.com'], idempotencyKey: crypto.randomUUID() })
      .catch((e: unknown) => e);
    expect(limited).toMatchObject({ name: 'NodeError', retryable: true });
    expect((limited as Error).message).toMatch(/^email: Resend refused the email: 429 rate_limit_exceeded/);
    const refused = await email
      .send({ ...message, to: ['not-an-address'], idempotencyKey: crypto.randomUUID() })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'NodeError', retryable: false });
  });

  it('hands the send_email binding to a team’s cloudflare-email sender', async () => {
    const demo = await teamWithSender('cloudflare-email', { from: 'Parley Tests <tests@parley.test>' });
    const withoutBinding = await teamEmail(env, demo.teamId)
      .send(message)
      .catch((e: unknown) => e);
    expect((withoutBinding as Error).message).toMatch(/needs the send_email binding/);
    // miniflare's simulated binding (vitest.config.ts), as the deployment's SEND_EMAIL.
    const deployed = { ...env, SEND_EMAIL: env.SEND_EMAIL_TEST } as Env;
    const sent = await teamEmail(deployed, demo.teamId).send({ ...message, idempotencyKey: crypto.randomUUID() });
    expect(sent.id).toMatch(/parley\.test>?$/);
  });

  it('delivers the triage template’s escalation, sent by its send_email node, to the team’s resend sender', async () => {
    const demo = await teamWithSender('resend', resendSettings());
    const created = await call(demo.apiKey, 'POST', '/api/v1/chatbots', { name: 'Triage', templateId: 'triage' });
    const chatbotId = (created.body as { id: string }).id;
    expect((await call(demo.apiKey, 'POST', `/api/v1/chatbots/${chatbotId}/versions`, { note: 'v1' })).status).toBe(
      201,
    );
    const conversationId = await startConversation(demo.apiKey, chatbotId);
    const text = `URGENT: our checkout is down!! ${crypto.randomUUID()}`;
    const res = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ text }), headers: { accept: 'application/json' } }),
    );
    expect(res.status).toBe(201);
    const received = await resendSends(text);
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toMatchObject({
      from: 'Acme Support <support@acme.test>',
      to: ['oncall@example.com'],
      subject: 'Urgent support request',
    });
    expect(received[0]?.body.text).toContain(text);
    expect(received[0]?.idempotencyKey).toMatch(/escalate/);
  });
});
