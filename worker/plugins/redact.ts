/**
 * Scrubs credentials out of text a plugin produced from an upstream answer (error messages, failed results) before
 * it is stored or returned. Platforms, proxies and local API servers quote the request they refused, and the
 * request carries the credentials: a Telegram bot token is a path segment of every Bot API URL, WhatsApp and the
 * model providers send theirs in an Authorization header, Twilio in Basic auth.
 */

const REDACTED = '[redacted]';

/**
 * Shorter values (a placeholder like "x", a 4-digit PIN) would mangle ordinary words; every real platform or
 * provider credential is far longer than 8 characters.
 */
const MIN_SECRET_LENGTH = 8;

/** Credentials recognisable by their shape, whatever the plugin's settings hold. */
const PATTERNS: readonly [RegExp, string][] = [
  // Bot API URLs: https://api.telegram.org/bot<id>:<secret>/sendMessage (core.telegram.org/bots/api#authorizing-your-bot).
  [/\bbot\d+:[A-Za-z0-9_-]+/g, `bot${REDACTED}`],
  // RFC 6750 bearer tokens and RFC 7617 basic credentials, as an echoed header shows them.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // OAuth-style query parameters (Meta's Graph API accepts ?access_token=…).
  [/\b(access_token|api_key|apikey|key|token)=[^&\s"'<>]+/gi, `$1=${REDACTED}`],
];

/** The secret values of a plugin's settings (the keys it declares in `secrets`). */
export function secretValues(secretKeys: readonly string[], settings: unknown): string[] {
  if (typeof settings !== 'object' || settings === null) return [];
  const record = settings as Record<string, unknown>;
  return secretKeys.map((key) => record[key]).filter((value): value is string => typeof value === 'string');
}

/** Every form a secret may take in a quoted request: as is, URL-encoded, base64 (standard and URL-safe). */
function forms(secret: string): string[] {
  const all = new Set([secret, encodeURIComponent(secret)]);
  try {
    const base64 = btoa(String.fromCodePoint(...new TextEncoder().encode(secret)));
    all.add(base64.replace(/=+$/, ''));
    all.add(base64.replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_'));
  } catch {
    // Not encodable: the plain forms still apply.
  }
  // Longest first, so a form that contains another is replaced whole.
  return [...all].sort((a, b) => b.length - a.length);
}

/** `text` without the given secret values (in any of their encoded forms) and without shaped credentials. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of forms(secret)) clean = clean.split(form).join(REDACTED);
  }
  for (const [pattern, replacement] of PATTERNS) clean = clean.replace(pattern, replacement);
  return clean;
}
