import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { channels } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { afterCursor, page } from '../http/cursor.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { openSettings, sealedSecretNames, sealSettings } from '../plugins/sealed-settings.ts';
import { channelPluginOrThrow, mergeSettings, parsePluginSettings } from '../plugins/settings.ts';
import { secretContext } from '../security/secrets.ts';
import { type ChannelOptions, channelOptions } from './options.ts';
import { forgetChannel } from './runtime.ts';

/**
 * Channel rows, always scoped to a team. Secret settings are split from the public ones (`splitSecrets`) and sealed
 * with AES-GCM bound to the team and row; decrypted values live only in memory for validation and setup, and every
 * change evicts the isolate's cached runtime (`forgetChannel`) so webhooks see it at once.
 */

export type ChannelRow = typeof channels.$inferSelect;

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

const context = (row: Pick<ChannelRow, 'teamId' | 'id'>) => secretContext(row.teamId, 'channel', row.id);

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
  const plugin = channelPluginOrThrow(input.pluginId);
  const settings = parsePluginSettings(plugin, input.settings);
  const options = mergeOptions({}, input.options);
  const now = Date.now();
  const id = newId('chn', now);
  const row: ChannelRow = {
    id,
    teamId,
    chatbotId: input.chatbotId,
    pluginId: plugin.id,
    name: input.name,
    ...(await sealSettings(env, plugin, settings, context({ teamId, id }))),
    options,
    enabled: input.enabled ?? true,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(channels).values(row);
  forgetChannel(id);
  return { row, settings };
}

/** This team's channel, or a 404 that says nothing about other teams' channels. */
export async function findChannel(db: Database, teamId: string, id: string): Promise<ChannelRow> {
  const row = await db.query.channels.findFirst({ where: and(eq(channels.id, id), eq(channels.teamId, teamId)) });
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
  const rows = await db
    .select()
    .from(channels)
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
  const row: ChannelRow = {
    ...stored,
    name: patch.name ?? stored.name,
    enabled: patch.enabled ?? stored.enabled,
    options: patch.options ? mergeOptions(stored.options, patch.options) : stored.options,
    updatedAt: Math.max(Date.now(), stored.updatedAt),
  };
  let settings: Record<string, unknown> | null = null;
  if (patch.settings) {
    const plugin = channelPluginOrThrow(stored.pluginId);
    const storedSettings = await openSettings(env, stored, context(stored));
    settings = parsePluginSettings(plugin, mergeSettings(storedSettings, patch.settings));
    Object.assign(row, await sealSettings(env, plugin, settings, context(stored)));
  }
  await db
    .update(channels)
    .set({
      name: row.name,
      enabled: row.enabled,
      options: row.options,
      settings: row.settings,
      secrets: row.secrets,
      updatedAt: row.updatedAt,
    })
    .where(and(eq(channels.id, id), eq(channels.teamId, teamId)));
  forgetChannel(id);
  return { row, settings };
}

/** Deletes the channel; its threads and inbound ids go with it (cascade), conversations keep a null channel. */
export async function deleteChannel(db: Database, teamId: string, id: string): Promise<void> {
  const row = await findChannel(db, teamId, id);
  await db.delete(channels).where(and(eq(channels.id, row.id), eq(channels.teamId, teamId)));
  forgetChannel(id);
}

/** Names of the secret settings a row holds: decrypted in memory to read the keys, the values never leave here. */
export const storedSecretNames = (env: Pick<Env, 'ENCRYPTION_KEY'>, row: ChannelRow) =>
  sealedSecretNames(env, row.secrets, context(row));
