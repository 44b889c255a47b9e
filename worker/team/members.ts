import { and, asc, eq, ne, or, sql } from 'drizzle-orm';
import type { Actor } from '../auth/middleware.ts';
import { roleAllows } from '../auth/permissions.ts';
import type { Database } from '../db/client.ts';
import { memberships, type Role, users } from '../db/schema/index.ts';
import { afterCursorAscending, page } from '../http/cursor.ts';
import { ApiError, notFound } from '../http/errors.ts';

const memberColumns = {
  userId: users.id,
  email: users.email,
  name: users.name,
  role: memberships.role,
  createdAt: memberships.createdAt,
};

export type MemberRow = { userId: string; email: string; name: string; role: Role; createdAt: number };

/**
 * One page of the team's members, oldest first: keyset over (joined at, user id), the cursor being the last
 * member's key (worker/http/cursor.ts).
 */
export async function listMembers(
  db: Database,
  teamId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<{ data: MemberRow[]; nextCursor: string | null }> {
  const rows = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.teamId, teamId),
        afterCursorAscending(query.cursor, memberships.createdAt, memberships.userId),
      ),
    )
    .orderBy(asc(memberships.createdAt), asc(memberships.userId))
    .limit(query.limit + 1);
  const result = page(
    rows.map((row) => ({ ...row, id: row.userId })),
    query.limit,
  );
  return { data: result.data.map(({ id: _key, ...row }) => row), nextCursor: result.nextCursor };
}

export async function findMember(db: Database, teamId: string, userId: string): Promise<MemberRow | null> {
  const [row] = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));
  return row ?? null;
}

export async function memberRole(db: Database, teamId: string, userId: string): Promise<Role | null> {
  const row = await db.query.memberships.findFirst({
    where: and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)),
    columns: { role: true },
  });
  return row?.role ?? null;
}

/**
 * Granting, changing or removing the owner role is the owners' own business (permission `ownership.manage`), and
 * only a signed-in owner holds it: an API key is refused even with `admin`, or an admin could mint a key and
 * promote themselves.
 */
export function assertMayManageOwnership(actor: Actor): void {
  if (actor.type === 'user' && roleAllows(actor.role, 'ownership.manage')) return;
  throw new ApiError(403, 'forbidden', 'Only an owner, signed in, can grant, change or remove the owner role', {
    required: 'ownership.manage',
  });
}

/** The team keeps at least one owner: matched inside the same statement, so two concurrent demotions cannot both win. */
const notTheLastOwner = (teamId: string) =>
  or(
    ne(memberships.role, 'owner'),
    sql`(SELECT COUNT(*) FROM memberships AS m WHERE m.team_id = ${teamId} AND m.role = 'owner') > 1`,
  );

const lastOwner = () =>
  new ApiError(409, 'last_owner', 'A team needs at least one owner; make someone else owner first');

export async function changeRole(db: Database, actor: Actor, teamId: string, userId: string, role: Role) {
  const current = await memberRole(db, teamId, userId);
  if (!current) throw notFound('Member');
  if (current === role) return;
  if (current === 'owner' || role === 'owner') assertMayManageOwnership(actor);
  const updated = await db
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId), notTheLastOwner(teamId)))
    .returning({ userId: memberships.userId });
  if (updated.length === 0) throw lastOwner();
}

export async function removeMember(db: Database, actor: Actor, teamId: string, userId: string) {
  const current = await memberRole(db, teamId, userId);
  if (!current) throw notFound('Member');
  if (current === 'owner') assertMayManageOwnership(actor);
  const removed = await db
    .delete(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId), notTheLastOwner(teamId)))
    .returning({ userId: memberships.userId });
  if (removed.length === 0) throw lastOwner();
}
