import { and, eq } from 'drizzle-orm';
import { hmacSha256Hex } from '../../plugins/sdk/crypto.ts';
import type { Database } from '../db/client.ts';
import { pluginConfigs } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { secretBox, secretContext } from '../security/secrets.ts';

/**
 * Webhook signatures (docs/events.md "Webhooks"): `X-Parley-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`
 * with `X-Parley-Timestamp` in Unix seconds, as Stripe and Slack sign theirs, so a receiver can refuse replays older
 * than a few minutes. The key is the team's own: a plugin configuration's `signingSecret` when the action names
 * one, else the team's events secret derived from ENCRYPTION_KEY (never stored, never logged).
 */
export async function signingSecret(env: Env, db: Database, teamId: string, configId?: string): Promise<string> {
  if (!configId) return hmacSha256Hex(env.ENCRYPTION_KEY, `parley-events-webhook:${teamId}`);
  const row = await db.query.pluginConfigs.findFirst({
    where: and(eq(pluginConfigs.teamId, teamId), eq(pluginConfigs.id, configId)),
  });
  if (!row) throw new WebhookConfigError('the signing secret configuration no longer exists');
  const secrets = await (await secretBox(env)).openJson(row.secrets, secretContext(teamId, row.kind, row.id));
  const secret = secrets.signingSecret;
  if (typeof secret !== 'string' || secret.length === 0)
    throw new WebhookConfigError('the signing secret configuration has no signingSecret');
  return secret;
}

/** A webhook that cannot be sent as configured: logged, never retried. */
export class WebhookConfigError extends Error {}

export async function signatureHeaders(secret: string, body: string, now: number): Promise<Record<string, string>> {
  const timestamp = String(Math.floor(now / 1000));
  return {
    'x-parley-timestamp': timestamp,
    'x-parley-signature': `v1=${await hmacSha256Hex(secret, `${timestamp}.${body}`)}`,
  };
}
