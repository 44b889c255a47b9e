import { and, eq, getTableColumns } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { channels, pluginConfigs } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { openPluginConfig, type PluginConfigRow } from '../plugin-configs/store.ts';

/** A channel as its two rows join: the binding, with the configuration's name, settings and sealed secrets. */
export type ChannelRow = typeof channels.$inferSelect & Pick<PluginConfigRow, 'name' | 'settings' | 'secrets'>;

export const KIND = 'channel';

/** The two rows joined, by id alone (webhooks, which carry no team) or with the team (everything else). */
export function selectChannels(db: Database) {
  return db
    .select({
      ...getTableColumns(channels),
      name: pluginConfigs.name,
      settings: pluginConfigs.settings,
      secrets: pluginConfigs.secrets,
    })
    .from(channels)
    .innerJoin(pluginConfigs, and(eq(pluginConfigs.id, channels.id), eq(pluginConfigs.teamId, channels.teamId)));
}

/** The channel's configuration row, rebuilt from the join. */
export const configOf = (row: ChannelRow): PluginConfigRow => ({
  id: row.id,
  teamId: row.teamId,
  kind: KIND,
  pluginId: row.pluginId,
  name: row.name,
  uniqueKey: null,
  settings: row.settings,
  secrets: row.secrets,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** Public and secret settings together, in memory only (the runtime and setup call the plugin with them). */
export const openChannelSettings = (env: Pick<Env, 'ENCRYPTION_KEY'>, row: ChannelRow) =>
  openPluginConfig(env, configOf(row));
