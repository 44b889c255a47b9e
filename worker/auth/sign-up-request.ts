import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import { users } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { hashPassword } from '../security/passwords.ts';
import { secretBox } from '../security/secrets.ts';
import { recordMail } from './mail.ts';
import type { NewAccount } from './sign-up.ts';

/**
 * Open sign-up answers the same for a new and a taken email (202, same body, same PBKDF2 work), so it cannot be used
 * to learn who has an account. What differs goes to the mailbox: a new email gets a link that creates the account,
 * a taken one a notice to sign in instead. The link is the pending account itself, sealed with ENCRYPTION_KEY (no
 * table); it lasts a day and works once, since the account it creates then exists.
 */
export const SIGN_UP_LINK_TTL_MS = 24 * 60 * 60 * 1000;
const CONTEXT = 'auth:sign-up';

const Pending = z.object({
  email: z.string(),
  name: z.string(),
  teamName: z.string().optional(),
  passwordHash: z.string(),
  expiresAt: z.number(),
});
export type PendingAccount = z.infer<typeof Pending>;

export const SIGN_UP_ANSWER = {
  status: 'check_email' as const,
  message: 'If this email can be used, a message is on its way to it with the next step',
};

export async function requestSignUp(env: Env, db: Database, origin: string, account: NewAccount, now = Date.now()) {
  const passwordHash = await hashPassword(account.password);
  const existing = await db.query.users.findFirst({ where: eq(users.email, account.email), columns: { id: true } });
  if (existing) {
    await recordMail(env, {
      kind: 'account_exists',
      to: account.email,
      subject: 'You already have a Parley account',
      text: `Someone (maybe you) tried to sign up with this email, which already has an account. Sign in at ${origin}/dashboard/ instead. If it was not you, nothing changed.`,
    });
    return SIGN_UP_ANSWER;
  }
  const pending: PendingAccount = {
    email: account.email,
    name: account.name,
    ...(account.teamName !== undefined && { teamName: account.teamName }),
    passwordHash,
    expiresAt: now + SIGN_UP_LINK_TTL_MS,
  };
  const token = await (await secretBox(env)).sealJson(pending, CONTEXT);
  await recordMail(env, {
    kind: 'sign_up_link',
    to: account.email,
    subject: 'Finish creating your Parley account',
    text: `Finish signing up within 24 hours: POST ${origin}/api/v1/auth/sign-up/verify with {"token":"${token}"}`,
  });
  return SIGN_UP_ANSWER;
}

/** The pending account a sign-up link holds, or a 400 when it is not one of ours or has expired. */
export async function openSignUpLink(env: Env, token: string, now = Date.now()): Promise<PendingAccount> {
  const invalid = new ApiError(400, 'invalid_token', 'This sign-up link is invalid or has expired; sign up again');
  let pending: PendingAccount;
  try {
    pending = Pending.parse(await (await secretBox(env)).openJson(token, CONTEXT));
  } catch {
    throw invalid;
  }
  if (pending.expiresAt <= now) throw invalid;
  return pending;
}
