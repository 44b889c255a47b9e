import { randomBytes } from './security/encoding.ts';

// Crockford base32 (no I, L, O, U): unambiguous when read aloud or copied by hand.
export const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export type IdPrefix =
  | 'team'
  | 'user'
  | 'key'
  | 'cred'
  | 'pcfg'
  | 'bot'
  | 'ver'
  | 'wgt'
  | 'chn'
  | 'ptc'
  | 'conv'
  | 'msg'
  | 'turn'
  | 'ses'
  | 'inv'
  | 'aud'
  | 'cmt'
  | 'kcol'
  | 'kdoc'
  | 'sch'
  | 'evl'
  | 'tap'
  | 'mcp'
  | 'act'
  | 'file';

/**
 * `<prefix>_<10 chars of milliseconds><16 random chars>`: readable type prefix (like Stripe's), time-sortable so
 * ids double as cursor tie-breakers, and 80 random bits so they cannot be guessed.
 */
export function newId(prefix: IdPrefix, now = Date.now()): string {
  let time = '';
  for (let remaining = now, i = 0; i < 10; i++, remaining = Math.floor(remaining / 32)) {
    time = ID_ALPHABET[remaining % 32] + time;
  }
  let random = '';
  for (const byte of randomBytes(16)) random += ID_ALPHABET[byte % 32];
  return `${prefix}_${time}${random}`;
}
