import type { EmailMessage } from '../../plugins/sdk/node/services.ts';
import type { Env } from '../env.ts';

/** Where sent mail lands locally: `dev-email/<teamId>/<key hash>.json` in the FILES bucket (npm start, tests). */
export const SINK_PREFIX = 'dev-email/';

export interface SunkEmail extends EmailMessage {
  id: string;
  teamId: string;
  sentAt: string;
}

/** SHA-256 of the idempotency key, hex: a fixed-length object name that does not leak the run id's shape. */
export async function keyHash(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The local email sink: used when the deployment is local (`EMAIL_SINK=local`) and the team configured no sender.
 * Each message is one R2 object named after its idempotency key, so sending twice with one key stores it once;
 * tests and the dashboard read them back with `listSunkEmail`.
 */
export async function sinkEmail(env: Env, teamId: string, message: EmailMessage): Promise<{ id: string }> {
  const hash = await keyHash(message.idempotencyKey);
  const key = `${SINK_PREFIX}${teamId}/${hash}.json`;
  const existing = await env.FILES.get(key);
  if (existing) return { id: ((await existing.json()) as SunkEmail).id };
  const stored: SunkEmail = { ...message, id: `local_${hash.slice(0, 16)}`, teamId, sentAt: new Date().toISOString() };
  await env.FILES.put(key, JSON.stringify(stored), { httpMetadata: { contentType: 'application/json' } });
  return { id: stored.id };
}

/** The team's locally sunk mail, oldest first by send time. */
export async function listSunkEmail(env: Env, teamId: string): Promise<SunkEmail[]> {
  const listed = await env.FILES.list({ prefix: `${SINK_PREFIX}${teamId}/` });
  const mail: SunkEmail[] = [];
  for (const object of listed.objects) {
    const body = await env.FILES.get(object.key);
    if (body) mail.push((await body.json()) as SunkEmail);
  }
  return mail.sort((a, b) => a.sentAt.localeCompare(b.sentAt));
}
