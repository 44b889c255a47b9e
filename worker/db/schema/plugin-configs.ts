import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, updatedAt } from './columns.ts';
import { teamRef } from './team-ref.ts';

/**
 * A team's configuration of one plugin, of any kind (worker/plugin-configs/store.ts): provider credentials, a
 * channel's bot settings, a tool's API key. Public settings as JSON; secret ones as one AES-GCM ciphertext bound to
 * the team, kind and row (worker/plugins/sealed-settings.ts).
 */
export const pluginConfigs = sqliteTable(
  'plugin_configs',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    kind: text('kind').notNull(),
    pluginId: text('plugin_id').notNull(),
    name: text('name').notNull(),
    /**
     * What must be unique in the team and kind, as the kind's cardinality says (plugins/sdk/kind.ts): the name for
     * `named` kinds, the plugin id for `single` ones, null (never equal in SQLite) for `many`.
     */
    uniqueKey: text('unique_key'),
    settings: text('settings', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    secrets: text('secrets').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('plugin_configs_unique').on(t.teamId, t.kind, t.uniqueKey),
    index('plugin_configs_team').on(t.teamId, t.kind, t.createdAt),
  ],
);
