import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { chatbots } from './chatbots.ts';
import { createdAt } from './columns.ts';
import { teamRef } from './team-ref.ts';
import { users } from './teams.ts';

export const apiKeyScopes = ['read', 'chat', 'admin'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/** API keys are shown once; only their SHA-256 is stored. `prefix` lets people recognise a key in lists. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    scopes: text('scopes', { mode: 'json' }).$type<ApiKeyScope[]>().notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash').on(t.keyHash), index('api_keys_team').on(t.teamId)],
);

/** Public keys that the embeddable widget sends; bound to one chatbot and a list of allowed origins. */
export const widgetKeys = sqliteTable(
  'widget_keys',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    chatbotId: text('chatbot_id')
      .notNull()
      .references(() => chatbots.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    allowedOrigins: text('allowed_origins', { mode: 'json' }).$type<string[]>().notNull(),
    /** AES-GCM ciphertext of the HMAC secret used for identity verification. */
    identitySecret: text('identity_secret').notNull(),
    createdAt: createdAt(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('widget_keys_key').on(t.key), index('widget_keys_chatbot').on(t.teamId, t.chatbotId)],
);
