import { and, asc, eq, inArray } from 'drizzle-orm';
import { registry } from '../../plugins/registry.ts';
import type { AnyPlugin, PluginKindDefinition } from '../../plugins/sdk/index.ts';
import { type Database, database } from '../db/client.ts';
import { pluginConfigs } from '../db/schema/index.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import type { Env } from '../env.ts';
import { afterCursorAscending, page } from '../http/cursor.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { type IdPrefix, newId } from '../ids.ts';
import { openSettings, sealedSecretNames, sealSettings } from '../plugins/sealed-settings.ts';
import { mergeSettings, parsePluginSettings } from '../plugins/settings.ts';
import { secretContext } from '../security/secrets.ts';

/**
 * The one store of plugin configurations, for every kind: a team's provider credentials, its channels' bot
 * settings, its tools' keys. Public settings are JSON; secret ones (the plugin's `secrets`) are sealed with AES-GCM
 * bound to the team, kind and row, decrypted only in memory to validate a change or call the plugin, never
 * answered. Every query names the team.
 */
export type PluginConfigRow = typeof pluginConfigs.$inferSelect;

type Key = Pick<PluginConfigRow, 'teamId' | 'kind' | 'id'>;
const context = (row: Key) => secretContext(row.teamId, row.kind, row.id);

/** 409 for a second configuration where the kind allows one name or one per plugin. */
export type ConflictError = (row: PluginConfigRow) => ApiError;

const defaultConflict: ConflictError = (row) =>
  row.uniqueKey === row.pluginId
    ? new ApiError(409, 'already_configured', `This team already has a configuration of the ${row.pluginId} plugin`, [
        { field: 'body.pluginId', message: 'configured once per team: change the existing configuration' },
      ])
    : new ApiError(409, 'name_taken', `This team already has a ${row.kind} configuration named "${row.name}"`, [
        { field: 'body.name', message: 'must be unique in the team' },
      ]);

const isConflict = (error: unknown) =>
  isUniqueViolation(error, 'plugin_configs.team_id, plugin_configs.kind, plugin_configs.unique_key');

/** What must be unique per team and kind (schema/plugin-configs.ts): the kind's cardinality decides. */
function uniqueKey(definition: PluginKindDefinition, pluginId: string, name: string): string | null {
  if (definition.configs === 'named') return name;
  if (definition.configs === 'single') return pluginId;
  return null;
}

/**
 * The installed plugin `pluginId` (of `kind` when given), or a 400 naming `field` and listing what is installed,
 * with its kind's definition.
 */
export function configurablePlugin(
  pluginId: string,
  kind: string | undefined,
  field = 'body.pluginId',
): { plugin: AnyPlugin; definition: PluginKindDefinition } {
  const plugin = registry.get(pluginId);
  const definition = plugin && registry.kind(plugin.kind);
  if (plugin && definition && (kind === undefined || plugin.kind === kind)) return { plugin, definition };
  const ids = [...(kind === undefined ? registry.installed : registry.ofKind(kind).values())].map((p) => p.id);
  const what = kind === undefined ? 'an installed plugin' : `an installed ${kind} plugin`;
  throw new ApiError(400, 'invalid_request', `Invalid ${field}`, [
    { field, message: `not ${what} (installed: ${ids.sort().join(', ') || 'none'})` },
  ]);
}

export interface NewPluginConfig {
  pluginId: string;
  name: string;
  settings: Record<string, unknown>;
}

/**
 * A new configuration, validated and sealed but not stored: the caller inserts it (`insertPluginConfig`), or batches
 * the insert with its own rows (a channel's).
 */
export async function preparePluginConfig(
  env: Pick<Env, 'ENCRYPTION_KEY'>,
  teamId: string,
  input: NewPluginConfig,
  options: { kind?: string; idPrefix?: IdPrefix; field?: string } = {},
): Promise<{ row: PluginConfigRow; settings: Record<string, unknown> }> {
  const { plugin, definition } = configurablePlugin(input.pluginId, options.kind, options.field);
  const settings = parsePluginSettings(plugin, input.settings);
  const now = Date.now();
  const id = newId(options.idPrefix ?? 'pcfg', now);
  const key = { teamId, kind: plugin.kind, id };
  const row: PluginConfigRow = {
    ...key,
    pluginId: plugin.id,
    name: input.name,
    uniqueKey: uniqueKey(definition, plugin.id, input.name),
    ...(await sealSettings(env, plugin, settings, context(key))),
    createdAt: now,
    updatedAt: now,
  };
  return { row, settings };
}

export const insertPluginConfig = (db: Database, row: PluginConfigRow) => db.insert(pluginConfigs).values(row);

/** Runs a write of `row`, turning the unique index's refusal into the kind's 409. */
export async function guardConflict<T>(row: PluginConfigRow, write: Promise<T>, conflict = defaultConflict) {
  try {
    return await write;
  } catch (error) {
    if (isConflict(error)) throw conflict(row);
    throw error;
  }
}

/** This team's configuration (of `kind` when given), or a 404 that says nothing about other teams'. */
export async function findPluginConfig(
  db: Database,
  teamId: string,
  id: string,
  kind?: string,
  what = 'Plugin configuration',
): Promise<PluginConfigRow> {
  const row = await db.query.pluginConfigs.findFirst({
    where: and(
      eq(pluginConfigs.id, id),
      eq(pluginConfigs.teamId, teamId),
      kind === undefined ? undefined : eq(pluginConfigs.kind, kind),
    ),
  });
  if (!row) throw notFound(what);
  return row;
}

export interface PluginConfigFilters {
  limit: number;
  cursor?: string | undefined;
  kind?: string | undefined;
  pluginId?: string | undefined;
}

/** A page of the team's configurations, oldest first (keyset over created_at and id, worker/http/cursor.ts). */
export async function listPluginConfigs(db: Database, teamId: string, filters: PluginConfigFilters) {
  const rows = await db
    .select()
    .from(pluginConfigs)
    .where(
      and(
        eq(pluginConfigs.teamId, teamId),
        filters.kind === undefined ? undefined : eq(pluginConfigs.kind, filters.kind),
        filters.pluginId === undefined ? undefined : eq(pluginConfigs.pluginId, filters.pluginId),
        afterCursorAscending(filters.cursor, pluginConfigs.createdAt, pluginConfigs.id),
      ),
    )
    .orderBy(asc(pluginConfigs.createdAt), asc(pluginConfigs.id))
    .limit(filters.limit + 1);
  return page(rows, filters.limit);
}

export interface PluginConfigPatch {
  name?: string | undefined;
  /** Merged over the stored public and secret settings (mergeSettings); absent leaves them sealed as they are. */
  settings?: Record<string, unknown> | undefined;
}

/**
 * The configuration with a patch applied, validated and sealed anew, not stored (`savePluginConfig` writes it).
 * `settings` is the whole parsed settings when the patch changed them, else null.
 */
export async function patchPluginConfig(
  env: Pick<Env, 'ENCRYPTION_KEY'>,
  stored: PluginConfigRow,
  patch: PluginConfigPatch,
): Promise<{ row: PluginConfigRow; settings: Record<string, unknown> | null }> {
  const name = patch.name ?? stored.name;
  const row: PluginConfigRow = { ...stored, name, updatedAt: Math.max(Date.now(), stored.updatedAt) };
  const definition = registry.kind(stored.kind);
  if (definition) row.uniqueKey = uniqueKey(definition, stored.pluginId, name);
  if (!patch.settings) return { row, settings: null };
  const { plugin } = configurablePlugin(stored.pluginId, stored.kind);
  const current = await openSettings(env, stored, context(stored));
  const settings = parsePluginSettings(plugin, mergeSettings(current, patch.settings));
  Object.assign(row, await sealSettings(env, plugin, settings, context(stored)));
  return { row, settings };
}

export const savePluginConfig = (db: Database, row: PluginConfigRow) =>
  db
    .update(pluginConfigs)
    .set({
      name: row.name,
      uniqueKey: row.uniqueKey,
      settings: row.settings,
      secrets: row.secrets,
      updatedAt: row.updatedAt,
    })
    .where(and(eq(pluginConfigs.id, row.id), eq(pluginConfigs.teamId, row.teamId)));

export const removePluginConfig = (db: Database, row: Key) =>
  db.delete(pluginConfigs).where(and(eq(pluginConfigs.id, row.id), eq(pluginConfigs.teamId, row.teamId)));

/** Public and secret settings together, in memory only (to call the plugin). */
export const openPluginConfig = (env: Pick<Env, 'ENCRYPTION_KEY'>, row: PluginConfigRow) =>
  openSettings(env, row, context(row));

/** Names of the secrets a configuration holds, for `secretsSet`: the values never leave here. */
export const configSecretNames = (env: Pick<Env, 'ENCRYPTION_KEY'>, row: PluginConfigRow) =>
  sealedSecretNames(env, row.secrets, context(row));

/**
 * The team's configurations of these plugins (one per plugin: the first made, for kinds configured once), opened.
 * Plugins the team never configured are absent.
 */
export async function openConfigsOf(
  env: Pick<Env, 'ENCRYPTION_KEY' | 'DB'>,
  teamId: string,
  kind: string,
  pluginIds: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const opened = new Map<string, Record<string, unknown>>();
  if (pluginIds.length === 0) return opened;
  const rows = await database(env.DB)
    .select()
    .from(pluginConfigs)
    .where(
      and(
        eq(pluginConfigs.teamId, teamId),
        eq(pluginConfigs.kind, kind),
        inArray(pluginConfigs.pluginId, [...pluginIds]),
      ),
    )
    .orderBy(asc(pluginConfigs.createdAt), asc(pluginConfigs.id));
  for (const row of rows) {
    if (!opened.has(row.pluginId)) opened.set(row.pluginId, await openPluginConfig(env, row));
  }
  return opened;
}
