import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns.ts';
import { teamRef } from './team-ref.ts';

export const auditActorTypes = ['user', 'api_key'] as const;
export type AuditActorType = (typeof auditActorTypes)[number];

/** Changed field → short before/after values, secrets redacted (worker/audit/summary.ts). */
export type AuditChanges = Record<string, { before?: unknown; after?: unknown }>;

/** One row per mutation a person or an API key made through /api/v1 (worker/audit/middleware.ts). */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    actorType: text('actor_type', { enum: auditActorTypes }).notNull(),
    actorId: text('actor_id').notNull(),
    /** The user's email or the key's name and prefix at the time, so the row stays readable after deletion. */
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    /** `METHOD /api/v1/route/{param}` as registered. */
    route: text('route').notNull(),
    status: integer('status').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    changes: text('changes', { mode: 'json' }).$type<AuditChanges>(),
    ip: text('ip'),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_log_team').on(t.teamId, t.createdAt),
    index('audit_log_team_action').on(t.teamId, t.action, t.createdAt),
  ],
);
