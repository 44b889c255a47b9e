import { ApiError } from '../http/errors.ts';
import { constantTimeEqual } from '../security/constant-time.ts';
import { fromBase64Url, toBase64Url } from '../security/encoding.ts';

/** What a widget token grants: one conversation of one chatbot, for one participant, from one origin. */
export interface WidgetTokenPayload {
  /** team */
  t: string;
  /** chatbot */
  b: string;
  /** conversation: its id, also before it exists (a conversation starts with its first message) */
  c: string;
  /**
   * The chatbot version the conversation is pinned to while it has no D1 row yet. Optional only so tokens issued
   * before this field existed stay valid until they expire; such a token's conversation always has its row.
   */
  v?: string;
  /** participant */
  p: string;
  /** the widget key the session was created with: revoking it ends the token at once (worker/widget/auth.ts) */
  k: string;
  /** the page origin the session was created from */
  o: string;
  /** expiry, Unix seconds */
  exp: number;
}

export const WIDGET_TOKEN_TTL_SECONDS = 60 * 60;

/** The token lifetime: the Worker var WIDGET_TOKEN_TTL_SECONDS when it is a positive integer, else one hour. */
export function widgetTokenTtlSeconds(configured: string | undefined): number {
  const seconds = Number(configured);
  return Number.isInteger(seconds) && seconds > 0 ? seconds : WIDGET_TOKEN_TTL_SECONDS;
}
const FORMAT = 'v1';
const encoder = new TextEncoder();

// Derived once per isolate: HKDF separates the token key from every other use of ENCRYPTION_KEY, so a token
// signature can never double as an AES key or another HMAC.
let cached: { secret: string; key: Promise<CryptoKey> } | undefined;

function signingKey(encryptionKey: string): Promise<CryptoKey> {
  if (cached?.secret === encryptionKey) return cached.key;
  const key = (async () => {
    const material = await crypto.subtle.importKey('raw', fromBase64Url(encryptionKey), 'HKDF', false, ['deriveKey']);
    return crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode('parley-widget-token') },
      material,
      { name: 'HMAC', hash: 'SHA-256', length: 256 },
      false,
      ['sign'],
    );
  })();
  cached = { secret: encryptionKey, key };
  return key;
}

async function signature(encryptionKey: string, signed: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await signingKey(encryptionKey), encoder.encode(signed));
  return toBase64Url(new Uint8Array(mac));
}

/** `v1.<base64url payload>.<base64url HMAC-SHA256>` (the widget contract). */
export async function signWidgetToken(encryptionKey: string, payload: WidgetTokenPayload): Promise<string> {
  const body = `${FORMAT}.${toBase64Url(encoder.encode(JSON.stringify(payload)))}`;
  return `${body}.${await signature(encryptionKey, body)}`;
}

/** A genuine but expired token; it still names the origin it was issued to, so that origin may read the 401. */
export class TokenExpiredError extends ApiError {
  constructor(readonly origin: string) {
    super(401, 'token_expired', 'The widget token has expired; create a new session');
  }
}

const invalid = () => new ApiError(401, 'invalid_token', 'Invalid widget token; create a new session');

function isPayload(value: unknown): value is WidgetTokenPayload {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    ['t', 'b', 'c', 'p', 'o', 'k'].every((field) => typeof record[field] === 'string') &&
    (record.v === undefined || typeof record.v === 'string') &&
    typeof record.exp === 'number'
  );
}

/**
 * The payload of a genuine token, or 401. The signature is checked (in constant time) before the payload is even
 * parsed; an expired token answers `token_expired` so the widget knows to refresh rather than give up.
 */
export async function verifyWidgetToken(
  encryptionKey: string,
  token: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<WidgetTokenPayload> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== FORMAT || token.length > 2048) throw invalid();
  const [format, body, mac] = parts as [string, string, string];
  if (!constantTimeEqual(await signature(encryptionKey, `${format}.${body}`), mac)) throw invalid();
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(fromBase64Url(body)));
  } catch {
    throw invalid();
  }
  if (!isPayload(payload)) throw invalid();
  if (payload.exp <= nowSeconds) {
    throw new TokenExpiredError(payload.o);
  }
  return payload;
}
