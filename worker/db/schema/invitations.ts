import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns.ts';
import { teamRef } from './team-ref.ts';
import { roles, users } from './teams.ts';

/** An invitation to join a team with a role; the link's token is shown once and stored as its SHA-256 only. */
export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    email: text('email').notNull(),
    role: text('role', { enum: roles }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    invitedBy: text('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
    acceptedAt: integer('accepted_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('invitations_team').on(t.teamId, t.createdAt)],
);
