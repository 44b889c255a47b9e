/**
 * Test-only helpers for the Cloudflare sender: miniflare's own simulation of the `send_email` binding
 * (`SEND_EMAIL_TEST` in vitest.config.ts, with sender and recipient allow-lists it enforces), wrapped so a test can
 * read back what it accepted; the simulation itself only logs.
 */
import { env } from 'cloudflare:test';
import type { DeliveredEmail } from '../../sdk/contracts/email.contract.ts';
import type { EmailContext, SendEmailBinding } from '../../sdk/index.ts';
import { fakeClock } from '../../sdk/testing/fakes.ts';
import type { CloudflareEmailSettings } from './settings.ts';

export const FROM = 'Parley Tests <tests@parley.test>';

export type BuilderMessage = Parameters<SendEmailBinding['send']>[0];

/** Miniflare's binding, recording each message it accepted. */
export function recordingBinding(accepted: BuilderMessage[] = []): {
  binding: SendEmailBinding;
  accepted: BuilderMessage[];
} {
  const simulated = env.SEND_EMAIL_TEST as unknown as SendEmailBinding;
  return {
    accepted,
    binding: {
      async send(message) {
        const result = await simulated.send(message);
        accepted.push(message);
        return result;
      },
    },
  };
}

export function cloudflareContext(
  binding: SendEmailBinding | undefined,
  signal: AbortSignal = new AbortController().signal,
): EmailContext<CloudflareEmailSettings> {
  return {
    settings: { from: FROM },
    fetch: () => Promise.reject(new Error('the Cloudflare sender makes no HTTP requests')),
    clock: fakeClock(),
    signal,
    ...(binding && { binding }),
  };
}

const text = (mailbox: BuilderMessage['from'] | undefined): string | undefined =>
  mailbox === undefined ? undefined : typeof mailbox === 'string' ? mailbox : `${mailbox.name} <${mailbox.email}>`;

/** A builder message in the contract's terms. */
export function asDelivered(message: BuilderMessage): DeliveredEmail {
  const replyTo = text(message.replyTo);
  return {
    from: text(message.from) ?? '',
    to: Array.isArray(message.to) ? message.to : [message.to],
    subject: message.subject,
    ...(message.text !== undefined && { text: message.text }),
    ...(message.html !== undefined && { html: message.html }),
    ...(replyTo !== undefined && { replyTo }),
  };
}
