import { constantTimeEqual, hmacSha256Hex } from '../../sdk/crypto.ts';
import type { InboundRequest, VerifyResult } from '../../sdk/index.ts';
import type { SlackSettings } from './settings.ts';

/** Slack: reject requests whose timestamp is more than five minutes away from now, against replays
 * (https://docs.slack.dev/authentication/verifying-requests-from-slack). */
export const SLACK_REPLAY_WINDOW_MS = 5 * 60 * 1000;

/**
 * `X-Slack-Signature: v0=hex(HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw body))`,
 * the secret used as UTF-8 (https://docs.slack.dev/authentication/verifying-requests-from-slack).
 */
export async function verifySlack(
  settings: SlackSettings,
  request: InboundRequest,
  now: number,
): Promise<VerifyResult> {
  const signature = request.headers.get('x-slack-signature');
  const timestamp = request.headers.get('x-slack-request-timestamp');
  if (!signature || !timestamp) return { ok: false, status: 401, reason: 'Missing Slack signature or timestamp' };
  if (!/^\d+$/.test(timestamp)) return { ok: false, status: 401, reason: 'Malformed X-Slack-Request-Timestamp' };
  if (Math.abs(now - Number(timestamp) * 1000) > SLACK_REPLAY_WINDOW_MS) {
    return { ok: false, status: 401, reason: 'Stale X-Slack-Request-Timestamp' };
  }
  const expected = `v0=${await hmacSha256Hex(settings.signingSecret, `v0:${timestamp}:${request.rawBody}`)}`;
  return constantTimeEqual(signature, expected)
    ? { ok: true }
    : { ok: false, status: 401, reason: 'Bad X-Slack-Signature' };
}
