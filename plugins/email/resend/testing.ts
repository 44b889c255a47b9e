/** Test-only helpers: contexts pointed at the fake Resend API (./fake/server.ts) and what it delivered. */
import { inject } from 'vitest';
import type { DeliveredEmail } from '../../sdk/contracts/email.contract.ts';
import type { EmailContext } from '../../sdk/index.ts';
import { fakeClock } from '../../sdk/testing/fakes.ts';
import type { SentEmail } from './fake/server.ts';
import { resendEmail } from './index.ts';
import type { ResendSettings } from './settings.ts';

export const FAKE_API_KEY = 're_test_key';
export const FROM = 'Parley Tests <tests@parley.test>';

export function fakeResendUrl(): string {
  const url = inject('fakeServers').resend;
  if (!url) throw new Error('The fake Resend server is not running: is plugins/email/resend/fake/server.ts loaded?');
  return url;
}

export const fakeResendSettings = (overrides: Partial<ResendSettings> = {}): ResendSettings =>
  resendEmail.settings.parse({ apiKey: FAKE_API_KEY, from: FROM, baseUrl: fakeResendUrl(), ...overrides });

export function resendContext(
  signal: AbortSignal = new AbortController().signal,
  overrides: Partial<ResendSettings> = {},
): EmailContext<ResendSettings> {
  return {
    settings: fakeResendSettings(overrides),
    fetch: (input, init) => fetch(input, init),
    clock: fakeClock(),
    signal,
  };
}

/** The sends the fake accepted whose JSON mentions `needle` (a test's own subject), oldest first. */
export async function sentTo(needle: string): Promise<SentEmail[]> {
  const res = await fetch(`${fakeResendUrl()}/__requests?contains=${encodeURIComponent(needle)}`);
  return (await res.json()) as SentEmail[];
}

/** The fake's record of one send, in the contract's terms. */
export function asDelivered(sent: SentEmail): DeliveredEmail {
  const { body } = sent;
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
  const to = body.to;
  return {
    from: text('from') ?? '',
    to: Array.isArray(to) ? to.map(String) : [String(to)],
    subject: text('subject') ?? '',
    ...(text('text') !== undefined && { text: text('text') }),
    ...(text('html') !== undefined && { html: text('html') }),
    ...(text('reply_to') !== undefined && { replyTo: text('reply_to') }),
    ...(sent.idempotencyKey !== undefined && { idempotencyKey: sent.idempotencyKey }),
  };
}
