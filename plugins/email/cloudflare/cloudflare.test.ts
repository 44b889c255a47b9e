import { describe, expect, it } from 'vitest';
import { runEmailContract } from '../../sdk/contracts/email.contract.ts';
import { EmailError, type SendEmailBinding } from '../../sdk/index.ts';
import { cloudflareEmail } from './index.ts';
import { asDelivered, cloudflareContext, FROM, recordingBinding } from './testing.ts';

const { binding, accepted } = recordingBinding();

runEmailContract(cloudflareEmail, {
  label: 'cloudflare-email against miniflare’s send_email simulation',
  context: ({ signal, clock }) => ({ ...cloudflareContext(binding, signal), clock }),
  delivered: async (subject) => accepted.filter((message) => message.subject === subject).map(asDelivered),
  from: FROM,
  // miniflare refuses a recipient outside allowed_destination_addresses, as Cloudflare refuses unverified ones.
  recipients: { accepted: 'ops@example.com', refused: 'stranger@example.com' },
});

const message = {
  from: FROM,
  to: ['ops@example.com'],
  subject: 'Escalation',
  text: 'Body',
  idempotencyKey: 'run_1:email',
};

describe('cloudflare email sender', () => {
  it('hands the binding the builder form, with a named sender as { email, name }', async () => {
    const recorded = recordingBinding([]);
    const { id } = await cloudflareEmail.send(cloudflareContext(recorded.binding), {
      ...message,
      replyTo: 'help@example.com',
    });
    // miniflare synthesises a Message-ID on the sender's domain, as Cloudflare does.
    expect(id).toMatch(/parley\.test>?$/);
    expect(recorded.accepted).toEqual([
      {
        from: { email: 'tests@parley.test', name: 'Parley Tests' },
        to: ['ops@example.com'],
        subject: 'Escalation',
        text: 'Body',
        replyTo: 'help@example.com',
      },
    ]);
  });

  it('says to add [[send_email]] when the deployment has no binding', async () => {
    const error = await cloudflareEmail.send(cloudflareContext(undefined), message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailError);
    expect(error).toMatchObject({ retryable: false });
    expect((error as Error).message).toMatch(/\[\[send_email\]\] with name = "SEND_EMAIL"/);
  });

  it('refuses a sender outside the binding’s allowed_sender_addresses without retrying', async () => {
    const ctx = { ...cloudflareContext(recordingBinding([]).binding), settings: { from: 'other@parley.test' } };
    const error = await cloudflareEmail.send(ctx, { ...message, from: 'other@parley.test' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'EmailError', retryable: false });
    expect((error as Error).message).toMatch(/not allowed/);
  });

  it('retries what the binding reports as a limit or an internal fault', async () => {
    const failing = (reason: string): SendEmailBinding => ({ send: () => Promise.reject(new Error(reason)) });
    for (const [reason, retryable] of [
      ['E_RATE_LIMIT_EXCEEDED: rate limit exceeded', true],
      ['internal error, try again later', true],
      ['destination address not verified', false],
    ] as const) {
      const error = await cloudflareEmail.send(cloudflareContext(failing(reason)), message).catch((e: unknown) => e);
      expect(error, reason).toMatchObject({ name: 'EmailError', retryable });
    }
  });
});
