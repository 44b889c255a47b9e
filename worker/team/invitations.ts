import { and, desc, eq, gt, isNotNull, isNull, lte, type SQL } from 'drizzle-orm';
import type { Actor } from '../auth/middleware.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import type { Database } from '../db/client.ts';
import { invitations, memberships, type Role, users } from '../db/schema/index.ts';
import { afterCursor, page } from '../http/cursor.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { hashPassword } from '../security/passwords.ts';
import { assertMayManageOwnership } from './members.ts';

/** An invitation link stays valid for 7 days: long enough for a holiday, short enough that old emails go stale. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

type InvitationRow = typeof invitations.$inferSelect;

export function invitationStatus(row: InvitationRow, now = Date.now()) {
  if (row.acceptedAt !== null) return 'accepted' as const;
  if (row.revokedAt !== null) return 'revoked' as const;
  if (row.expiresAt <= now) return 'expired' as const;
  return 'pending' as const;
}

export async function createInvitation(db: Database, actor: Actor, teamId: string, email: string, role: Role) {
  if (role === 'owner') assertMayManageOwnership(actor);
  const [existing] = await db
    .select({ userId: users.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.teamId, teamId), eq(users.email, email)))
    .limit(1);
  if (existing) throw new ApiError(409, 'already_member', 'This person is already a member of the team');
  const now = Date.now();
  const token = newToken();
  const [row] = await db
    .insert(invitations)
    .values({
      id: newId('inv', now),
      teamId,
      email,
      role,
      tokenHash: await hashToken(token),
      invitedBy: actor.type === 'user' ? actor.id : null,
      createdAt: now,
      expiresAt: now + INVITATION_TTL_MS,
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return { row, token };
}

export type InvitationStatus = ReturnType<typeof invitationStatus>;
export const invitationStatuses = ['pending', 'accepted', 'revoked', 'expired'] as const satisfies InvitationStatus[];

/** `invitationStatus` as a WHERE clause, so a list of one status pages in SQL instead of filtering a page. */
function statusIs(status: InvitationStatus, now: number): SQL | undefined {
  const open = and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt));
  switch (status) {
    case 'accepted':
      return isNotNull(invitations.acceptedAt);
    case 'revoked':
      return and(isNull(invitations.acceptedAt), isNotNull(invitations.revokedAt));
    case 'expired':
      return and(open, lte(invitations.expiresAt, now));
    case 'pending':
      return and(open, gt(invitations.expiresAt, now));
  }
}

/**
 * One page of the team's invitations, newest first, optionally of one status: keyset over (created_at, id) on the
 * invitations_team index.
 */
export async function listInvitations(
  db: Database,
  teamId: string,
  query: { limit: number; cursor?: string | undefined; status?: InvitationStatus | undefined },
): Promise<{ data: InvitationRow[]; nextCursor: string | null }> {
  const rows = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.teamId, teamId),
        query.status === undefined ? undefined : statusIs(query.status, Date.now()),
        afterCursor(query.cursor, invitations.createdAt, invitations.id),
      ),
    )
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(query.limit + 1);
  return page(rows, query.limit);
}

export async function revokeInvitation(db: Database, teamId: string, id: string): Promise<InvitationRow> {
  const where = and(eq(invitations.id, id), eq(invitations.teamId, teamId));
  const row = await db.query.invitations.findFirst({ where });
  if (!row) throw notFound('Invitation');
  if (invitationStatus(row) !== 'pending') return row;
  const [updated] = await db.update(invitations).set({ revokedAt: Date.now() }).where(where).returning();
  return updated ?? row;
}

/** The pending invitation behind a link token, or a 404 that does not say why (used, revoked, expired, bogus). */
export async function findPendingInvitation(db: Database, token: string): Promise<InvitationRow> {
  const row = await db.query.invitations.findFirst({
    where: and(
      eq(invitations.tokenHash, await hashToken(token)),
      isNull(invitations.acceptedAt),
      isNull(invitations.revokedAt),
      gt(invitations.expiresAt, Date.now()),
    ),
  });
  if (!row) throw notFound('Invitation (it may have expired, been used or been revoked)');
  return row;
}

/**
 * Marks the invitation used and adds the membership in one D1 batch; the `accepted_at IS NULL` guard makes a
 * second, concurrent accept of the same link change nothing. A new user (no account for the email yet) is created
 * in the same batch.
 */
export async function acceptInvitation(
  db: Database,
  invitation: InvitationRow,
  user: { id: string; newAccount?: { name: string; password: string } },
): Promise<void> {
  const now = Date.now();
  const claim = await db
    .update(invitations)
    .set({ acceptedAt: now })
    .where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt)))
    .returning({ id: invitations.id });
  if (claim.length === 0) throw notFound('Invitation (it may have expired, been used or been revoked)');
  const membership = db
    .insert(memberships)
    .values({ teamId: invitation.teamId, userId: user.id, role: invitation.role, createdAt: now })
    .onConflictDoNothing();
  if (user.newAccount) {
    await db.batch([
      db.insert(users).values({
        id: user.id,
        email: invitation.email,
        name: user.newAccount.name,
        passwordHash: await hashPassword(user.newAccount.password),
        createdAt: now,
      }),
      membership,
    ]);
  } else {
    await membership.run();
  }
}
