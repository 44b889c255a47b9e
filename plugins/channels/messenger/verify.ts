import { constantTimeEqual, hmacSha256Hex } from '../../sdk/crypto.ts';
import type { InboundRequest, VerifyResult } from '../../sdk/index.ts';
import type { MessengerSettings } from './settings.ts';

const SIGNATURE = 'x-hub-signature-256';

/**
 * Meta signs the raw body, exactly as sent (with its `\u`-escaped unicode), with the app secret:
 * `X-Hub-Signature-256: sha256=<hex>` (https://developers.facebook.com/docs/messenger-platform/webhooks#validate-payloads).
 * Meta sends no timestamp, so there is no replay window; duplicates are dropped by message id.
 */
export async function verifyMessenger(
  settings: MessengerSettings,
  request: InboundRequest,
  _now: number,
): Promise<VerifyResult> {
  const signature = request.headers.get(SIGNATURE);
  if (!signature) return { ok: false, status: 401, reason: 'Missing X-Hub-Signature-256' };
  const expected = `sha256=${await hmacSha256Hex(settings.appSecret, request.rawBody)}`;
  return constantTimeEqual(signature.toLowerCase(), expected)
    ? { ok: true }
    : { ok: false, status: 401, reason: 'Bad X-Hub-Signature-256' };
}

/**
 * Meta's subscription check: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` must echo the challenge
 * (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests).
 */
export function messengerHandshake(settings: MessengerSettings, request: InboundRequest): Response | null {
  if (request.method !== 'GET') return null;
  const params = new URL(request.url).searchParams;
  if (params.get('hub.mode') !== 'subscribe') return null;
  const token = params.get('hub.verify_token') ?? '';
  const challenge = params.get('hub.challenge') ?? '';
  if (!constantTimeEqual(token, settings.verifyToken)) return new Response('Bad verify token', { status: 403 });
  return new Response(challenge, { status: 200, headers: { 'content-type': 'text/plain' } });
}
