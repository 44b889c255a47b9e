import type { Env } from '../env.ts';

/**
 * Parley has no mail sender yet. Mail it would send (sign-up links, "you already have an account" notices) is
 * recorded in the FILES bucket under `outbox/mail/`, one JSON object per message, where an operator (or a sender
 * added later) picks it up; locally that is `.wrangler/state`. The log line names only the kind and the recipient's
 * domain: the body may hold a link that signs someone in, which must never reach logs.
 */
export interface Mail {
  kind: 'sign_up_link' | 'account_exists';
  to: string;
  subject: string;
  text: string;
}

export const MAIL_PREFIX = 'outbox/mail/';

export async function recordMail(env: Pick<Env, 'FILES'>, mail: Mail, now = Date.now()): Promise<void> {
  const key = `${MAIL_PREFIX}${new Date(now).toISOString()}-${crypto.randomUUID()}.json`;
  await env.FILES.put(key, JSON.stringify({ ...mail, createdAt: new Date(now).toISOString() }), {
    httpMetadata: { contentType: 'application/json' },
  });
  console.info(`[mail] ${mail.kind} for @${mail.to.split('@').at(-1)} recorded at ${key} (no mail sender configured)`);
}
