import { describe, expect, it } from 'vitest';
import { runEmailContract } from '../../sdk/contracts/email.contract.ts';
import { EmailError } from '../../sdk/index.ts';
import { resendEmail } from './index.ts';
import { asDelivered, FAKE_API_KEY, FROM, resendContext, sentTo } from './testing.ts';

runEmailContract(resendEmail, {
  label: 'resend against the fake API',
  context: ({ signal, clock }) => ({ ...resendContext(signal), clock }),
  delivered: async (subject) => (await sentTo(subject)).map(asDelivered),
  from: FROM,
  recipients: {
    accepted: 'ops@example.com',
    rateLimited: 'rate-limited@example.com',
    serverError: 'server-error@example.com',
    refused: 'not-an-address',
  },
  passesIdempotencyKey: true,
  refusedSettings: { apiKey: 're_wrong_key_0123456789' },
});

const message = (subject: string) => ({
  from: FROM,
  to: ['ops@example.com', 'Second <second@example.com>'],
  subject,
  text: 'Plain body',
  idempotencyKey: `run_${crypto.randomUUID()}:email`,
});

describe('resend email sender', () => {
  it('sends Resend’s wire format: Bearer key, Idempotency-Key, to as a list, reply_to', async () => {
    const subject = `Wire ${crypto.randomUUID()}`;
    const sent = { ...message(subject), html: '<p>Hi</p>', replyTo: 'Help <help@example.com>' };
    const { id } = await resendEmail.send(resendContext(), sent);
    const [recorded] = await sentTo(subject);
    expect(recorded?.id).toBe(id);
    expect(recorded?.authorization).toBe(`Bearer ${FAKE_API_KEY}`);
    expect(recorded?.idempotencyKey).toBe(sent.idempotencyKey);
    expect(recorded?.body).toEqual({
      from: FROM,
      to: ['ops@example.com', 'Second <second@example.com>'],
      subject,
      text: 'Plain body',
      html: '<p>Hi</p>',
      reply_to: 'Help <help@example.com>',
    });
  });

  it('hashes an idempotency key longer than Resend’s 256 characters into a stable 64-character key', async () => {
    const subject = `Long key ${crypto.randomUUID()}`;
    const sent = { ...message(subject), idempotencyKey: 'k'.repeat(300) + crypto.randomUUID() };
    const first = await resendEmail.send(resendContext(), sent);
    const again = await resendEmail.send(resendContext(), sent);
    expect(again.id).toBe(first.id);
    const recorded = await sentTo(subject);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('carries the 429’s Retry-After as retryAfterMs', async () => {
    const error = await resendEmail
      .send(resendContext(), { ...message('Rate'), to: ['rate-limited@example.com'] })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(EmailError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 1000 });
    expect((error as Error).message).toMatch(/429 rate_limit_exceeded/);
  });

  it('does not retry a reused idempotency key with another body (409 invalid_idempotent_request)', async () => {
    const first = message(`Reused ${crypto.randomUUID()}`);
    await resendEmail.send(resendContext(), first);
    const error = await resendEmail
      .send(resendContext(), { ...first, text: 'Another body' })
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'EmailError', retryable: false });
    expect((error as Error).message).toMatch(/409 invalid_idempotent_request/);
  });

  it('says the server is unreachable as a retryable error, without the key', async () => {
    const ctx = resendContext(undefined, { baseUrl: 'http://127.0.0.1:9' });
    const error = await resendEmail.send(ctx, message('Down')).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'EmailError', retryable: true });
    expect((error as Error).message).toMatch(/^Could not reach Resend/);
    expect((error as Error).message).not.toContain(FAKE_API_KEY);
  });

  it('refuses settings without a key or with a malformed from address, naming the field', () => {
    const missingKey = resendEmail.settings.safeParse({ from: FROM });
    expect(missingKey.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['apiKey']);
    const badFrom = resendEmail.settings.safeParse({ apiKey: 're_x', from: 'support at example' });
    expect(badFrom.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['from']);
  });
});
