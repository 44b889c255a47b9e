import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns.ts';
import { users } from './teams.ts';

/**
 * Dashboard sign-in sessions. Only the SHA-256 of the 256-bit cookie token is stored (like API keys), so a copy of
 * the database cannot be replayed as cookies. A row with `pendingSecondFactor` is a sign-in waiting for a TOTP code:
 * its token is the `challenge` and it never authenticates a request.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    pendingSecondFactor: integer('pending_second_factor', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    lastSeenAt: integer('last_seen_at').notNull(),
    /** Absolute expiry; the idle limit is checked against lastSeenAt (worker/auth/session-policy.ts). */
    expiresAt: integer('expires_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** Failed sign-ins per bucket: (account, IP) pair, TOTP account or IP (worker/auth/throttle.ts says how each counts). */
export const signInFailures = sqliteTable('sign_in_failures', {
  bucket: text('bucket').primaryKey(),
  windowStart: integer('window_start').notNull(),
  failures: integer('failures').notNull(),
});

/** A user's TOTP second factor (RFC 6238). The secret is sealed with SecretBox; recovery codes are SHA-256 hashes. */
export const userTotp = sqliteTable('user_totp', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secret: text('secret').notNull(),
  /** Null until the user proves they can produce a code (POST /auth/totp/enable). */
  enabledAt: integer('enabled_at'),
  recoveryCodeHashes: text('recovery_code_hashes', { mode: 'json' }).$type<string[]>().notNull(),
  /** The last time step accepted, so one code cannot be replayed within its window (RFC 6238 §5.2). */
  lastUsedStep: integer('last_used_step'),
  createdAt: createdAt(),
});
