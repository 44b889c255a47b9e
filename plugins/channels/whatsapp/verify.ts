/**
 * Meta webhooks: the subscription handshake (GET with hub.mode=subscribe, hub.verify_token, hub.challenge; answer
 * the challenge as plain text, https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests)
 * and the payload signature X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body under the app secret
 * (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads).
 */

import { constantTimeEqual, hmacSha256Hex } from '../../sdk/crypto.ts';
import type { InboundRequest, VerifyResult } from '../../sdk/index.ts';
import type { WhatsAppSettings } from './settings.ts';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

export function handshakeWhatsApp(settings: WhatsAppSettings, request: InboundRequest): Response | null {
  if (request.method !== 'GET') return null;
  const params = new URL(request.url).searchParams;
  if (!params.has('hub.mode')) return null;
  const token = params.get('hub.verify_token') ?? '';
  const challenge = params.get('hub.challenge') ?? '';
  if (params.get('hub.mode') !== 'subscribe' || !constantTimeEqual(token, settings.verifyToken) || challenge === '') {
    return new Response('Forbidden', { status: 403 });
  }
  return new Response(challenge, { status: 200, headers: { 'content-type': 'text/plain' } });
}

export async function verifyWhatsApp(settings: WhatsAppSettings, request: InboundRequest): Promise<VerifyResult> {
  const signature = request.headers.get(SIGNATURE_HEADER);
  if (!signature) return { ok: false, status: 401, reason: `Missing ${SIGNATURE_HEADER} header` };
  const expected = `sha256=${await hmacSha256Hex(settings.appSecret, request.rawBody)}`;
  return constantTimeEqual(signature.toLowerCase(), expected)
    ? { ok: true }
    : { ok: false, status: 401, reason: `Wrong ${SIGNATURE_HEADER} signature` };
}
