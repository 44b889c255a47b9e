import { constantTimeEqual, hmacSha1Base64, sha256Hex } from '../../sdk/crypto.ts';
import type { InboundRequest, VerifyResult } from '../../sdk/index.ts';
import type { TwilioSettings } from './settings.ts';

/** The URL as given, with the default port added and with it removed: Twilio may sign either form (twilio-node). */
function urlVariants(url: string): string[] {
  const parsed = new URL(url);
  const port = parsed.protocol === 'https:' ? '443' : '80';
  const withPort = url.replace(/^(https?:\/\/[^/:?#]+)(?=[/?#]|$)/, `$1:${port}`);
  const withoutPort = url.replace(new RegExp(`^(https?://[^/:?#]+):${port}(?=[/?#]|$)`), '$1');
  return [...new Set([url, withPort, withoutPort])];
}

/** Form parameters sorted by name, each as name + value (https://www.twilio.com/docs/usage/webhooks/webhooks-security). */
function signedParams(rawBody: string): string {
  const pairs = [...new URLSearchParams(rawBody)];
  pairs.sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1));
  return pairs.map(([key, value]) => key + value).join('');
}

/**
 * `X-Twilio-Signature` = base64(HMAC-SHA1(auth token, full URL + sorted form params)). JSON-bodied webhooks carry
 * `bodySHA256` (hex SHA-256 of the raw body) in the URL instead, and only the URL is signed. Twilio stamps no time,
 * so there is no replay window; MessageSid deduplicates. The URL must be the public one Twilio called.
 */
export async function verifyTwilio(
  settings: TwilioSettings,
  request: InboundRequest,
  _now: number,
): Promise<VerifyResult> {
  const signature = request.headers.get('x-twilio-signature');
  if (!signature) return { ok: false, status: 401, reason: 'Missing X-Twilio-Signature' };
  const bodyHash = new URL(request.url).searchParams.get('bodySHA256');
  let suffix = '';
  if (bodyHash !== null) {
    if (!constantTimeEqual(bodyHash.toLowerCase(), await sha256Hex(request.rawBody))) {
      return { ok: false, status: 403, reason: 'Body does not match bodySHA256' };
    }
  } else {
    suffix = signedParams(request.rawBody);
  }
  let valid = false;
  for (const url of urlVariants(request.url)) {
    // Every variant is computed and compared, so timing does not reveal which one matched.
    valid = constantTimeEqual(signature, await hmacSha1Base64(settings.authToken, url + suffix)) || valid;
  }
  return valid ? { ok: true } : { ok: false, status: 403, reason: 'Bad X-Twilio-Signature' };
}
