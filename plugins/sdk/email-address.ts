import { z } from 'zod';

/** `name@domain.tld`, deliberately loose (RFC 5321 allows far more): it catches typos, the provider checks the rest. */
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
/** `Display Name <name@domain.tld>`, the form every sender accepts for a named sender. */
const NAMED = /^([^<>]*?)\s*<([^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)>$/;

/** The bare address of `from` (`Support <s@example.com>` → `s@example.com`), or undefined when it is neither form. */
export function addressOf(from: string): string | undefined {
  const value = from.trim();
  if (ADDRESS.test(value)) return value;
  return NAMED.exec(value)?.[2];
}

/** The `from` setting every email sender has (worker/email/team-email.ts reads it): an address, optionally named. */
export const fromAddressSetting = z
  .string()
  .trim()
  // RFC 5321 §4.5.3.1.3: a path is at most 256 octets; a display name around it stays well under 320.
  .max(320)
  .refine((value) => addressOf(value) !== undefined, {
    message: 'Expected an address like support@example.com or Support <support@example.com>',
  })
  .describe('Sender address, e.g. Support <support@example.com>. Its domain must be verified with the provider.');
