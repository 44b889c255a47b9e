import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { channels } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { afterCursor, page } from '../http/cursor.ts';
import { ApiError, notFound } from '../http/errors.ts';
import {
  configSecretNames,
  insertPluginConfig,
  patchPluginConfig,
  preparePluginConfig,
  removePluginConfig,
  savePluginConfig,
} from '../plugin-configs/store.ts';
import { type ChannelOptions, channelOptions } from './options.ts';
import { type ChannelRow, configOf, KIND, selectChannels } from './rows.ts';
import { forgetChannel } from './runtime.ts';

export type { ChannelRow } from './rows.ts';

/**
 * Channels, always scoped to a team. A channel is a plugin configuration of kind `channel` (worker/plugin-configs:
 * its name and the plugin's settings, secrets sealed there) plus the row binding it to a chatbot with the core's
 * options, under the same id; both are written in one D1 batch. Every change evicts the isolate's cached runtime
 * (`forgetChannel`) so webhooks see it at once.
 */

export interface NewChannel {
  chatbotId: string;
  pluginId: string;
  name: string;
  settings: Record<string, unknown>;
  options?: Partial<ChannelOptions>;
  enabled?: boolean;
}

export interface ChannelPatch {
  name?: string;
  enabled?: boolean;
  options?: Partial<ChannelOptions>;
  /** Merged over the stored public and secret settings (mergeSettings); absent leaves them as they are. */
  settings?: Record<string, unknown>;
}

/**
 * A saved channel with its settings decrypted and parsed, for the setup hook only; never put in a response.
 * `settings` is null when an update did not touch them.
 */
export interface SavedChannel {
  row: ChannelRow;
  settings: Record<string, unknown> | null;
}

/** Options with a patch over them, validated again as a whole (defaults fill what was never set). */
function mergeOptions(stored: Record<string, unknown>, patch: Partial<ChannelOptions> | undefined): ChannelOptions {
  const result = channelOptions.safeParse({ ...stored, ...patch });
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    field: ['body', 'options', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new ApiError(400, 'invalid_request', `Invalid ${details.map((d) => d.field).join(', ')}`, details);
}

export async function createChannel(
  db: Database,
  env: Pick<Env, 'ENCRYPTION_KEY'>,
  teamId: string,
  input: NewChannel,
): Promise<SavedChannel> {
  const { row: config, settings } = await preparePluginConfig(
    env,
    teamId,
    { pluginId: input.pluginId, name: input.name, settings: input.settings },
    { kind: KIND, idPrefix: 'chn' },
  );
  const options = mergeOptions({}, input.options);
  const binding: typeof channels.$inferSelect = {
    id: config.id,
    teamId,
    chatbotId: input.chatbotId,
    pluginId: config.pluginId,
    options,
    enabled: input.enabled ?? true,
    createdAt: config.createdAt,
    updatedAt: config.updatedAt,
  };
  await db.batch([insertPluginConfig(db, config), db.insert(channels).values(binding)]);
  forgetChannel(config.id);
  return { row: { ...binding, name: config.name, settings: config.settings, secrets: config.secrets }, settings };
}

/** This team's channel, or a 404 that says nothing about other teams' channels. */
export async function findChannel(db: Database, teamId: string, id: string): Promise<ChannelRow> {
  const [row] = await selectChannels(db).where(and(eq(channels.id, id), eq(channels.teamId, teamId)));
  if (!row) throw notFound('Channel');
  return row;
}

export interface ChannelFilters {
  limit: number;
  cursor?: string;
  chatbotId?: string;
  pluginId?: string;
  enabled?: boolean;
}

/** A page of the team's channels, newest first (keyset pagination, worker/http/cursor.ts). */
export async function listChannels(db: Database, teamId: string, filters: ChannelFilters) {
  const rows = await selectChannels(db)
    .where(
      and(
        eq(channels.teamId, teamId),
        filters.chatbotId === undefined ? undefined : eq(channels.chatbotId, filters.chatbotId),
        filters.pluginId === undefined ? undefined : eq(channels.pluginId, filters.pluginId),
        filters.enabled === undefined ? undefined : eq(channels.enabled, filters.enabled),
        afterCursor(filters.cursor, channels.createdAt, channels.id),
      ),
    )
    .orderBy(desc(channels.createdAt), desc(channels.id))
    .limit(filters.limit + 1);
  return page(rows, filters.limit);
}

/**
 * Applies a patch. With `settings`, the stored public and secret settings are decrypted, the patch merged over them
 * and the whole validated again by the plugin's schema, then split and sealed anew; without, secrets stay sealed.
 */
export async function updateChannel(
  db: Database,
  env: Pick<Env, 'ENCRYPTION_KEY'>,
  teamId: string,
  id: string,
  patch: ChannelPatch,
): Promise<SavedChannel> {
  const stored = await findChannel(db, teamId, id);
  const options = patch.options ? mergeOptions(stored.options, patch.options) : stored.options;
  const { row: config, settings } = await patchPluginConfig(env, configOf(stored), {
    name: patch.name,
    settings: patch.settings,
  });
  const row: ChannelRow = {
    ...stored,
    name: config.name,
    settings: config.settings,
    secrets: config.secrets,
    enabled: patch.enabled ?? stored.enabled,
    options,
    updatedAt: config.updatedAt,
  };
  await db.batch([
    savePluginConfig(db, config),
    db
      .update(channels)
      .set({ enabled: row.enabled, options: row.options, updatedAt: row.updatedAt })
      .where(and(eq(channels.id, id), eq(channels.teamId, teamId))),
  ]);
  forgetChannel(id);
  return { row, settings };
}

/** Deletes the channel; its threads and inbound ids go with it (cascade), conversations keep a null channel. */
export async function deleteChannel(db: Database, teamId: string, id: string): Promise<void> {
  const row = await findChannel(db, teamId, id);
  await db.batch([
    db.delete(channels).where(and(eq(channels.id, row.id), eq(channels.teamId, teamId))),
    removePluginConfig(db, configOf(row)),
  ]);
  forgetChannel(id);
}

/** Names of the secret settings a row holds: decrypted in memory to read the keys, the values never leave here. */
export const storedSecretNames = (env: Pick<Env, 'ENCRYPTION_KEY'>, row: ChannelRow) =>
  configSecretNames(env, configOf(row));
