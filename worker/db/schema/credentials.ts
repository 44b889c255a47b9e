import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, updatedAt } from './columns.ts';
import { teamRef } from './team-ref.ts';

/** A team's account with an LLM provider. Secret settings (API keys) are one AES-GCM ciphertext. */
export const providerCredentials = sqliteTable(
  'provider_credentials',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    providerId: text('provider_id').notNull(),
    name: text('name').notNull(),
    settings: text('settings', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    secrets: text('secrets').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('provider_credentials_name').on(t.teamId, t.name),
    index('provider_credentials_team').on(t.teamId),
  ],
);
