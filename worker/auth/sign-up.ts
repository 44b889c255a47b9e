import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { memberships, teams, users } from '../db/schema/index.ts';
import { ApiError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { randomBytes, toBase64Url } from '../security/encoding.ts';

export interface NewAccount {
  email: string;
  password: string;
  name: string;
  teamName?: string | undefined;
}

/**
 * A new user who owns a new team of their own (first-owner setup, a followed sign-up link). One D1 batch: all three
 * rows or none. Takes the hash, not the password: a sign-up link carries only the hash.
 */
export async function createAccount(
  db: Database,
  account: Omit<NewAccount, 'password'> & { passwordHash: string },
  now = Date.now(),
) {
  const existing = await db.query.users.findFirst({ where: eq(users.email, account.email), columns: { id: true } });
  // Only the first-owner setup (no accounts yet) and the holder of a sign-up link get here, so this tells no stranger.
  if (existing) throw new ApiError(409, 'email_taken', 'An account with this email exists; sign in instead');
  const userId = newId('user', now);
  const teamId = newId('team', now);
  await db.batch([
    db.insert(users).values({
      id: userId,
      email: account.email,
      name: account.name,
      passwordHash: account.passwordHash,
      createdAt: now,
    }),
    db.insert(teams).values({
      id: teamId,
      // Team slugs are unique; a random suffix avoids asking for one at sign-up.
      slug: `team-${toBase64Url(randomBytes(6))
        .toLowerCase()
        .replace(/[^a-z0-9]/g, 'x')}`,
      name: account.teamName ?? `${account.name}'s team`,
      createdAt: now,
    }),
    db.insert(memberships).values({ teamId, userId, role: 'owner', createdAt: now }),
  ]);
  return { id: userId, email: account.email, name: account.name };
}
