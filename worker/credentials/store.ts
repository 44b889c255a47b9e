import { forgetProviderSettings } from '../conversation/provider-cache.ts';
import type { Database } from '../db/client.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import {
  configSecretNames,
  findPluginConfig,
  guardConflict,
  insertPluginConfig,
  listPluginConfigs,
  type PluginConfigRow,
  patchPluginConfig,
  preparePluginConfig,
  removePluginConfig,
  savePluginConfig,
} from '../plugin-configs/store.ts';

/**
 * A team's accounts with LLM providers: the plugin configurations of kind `provider` (worker/plugin-configs), named
 * uniquely in the team. This file keeps the shape `/api/v1/credentials` has always answered (`providerId`).
 */
export interface CredentialRow {
  id: string;
  teamId: string;
  providerId: string;
  name: string;
  settings: Record<string, unknown>;
  secrets: string;
  createdAt: number;
  updatedAt: number;
}

const KIND = 'provider';

const asCredential = (row: PluginConfigRow): CredentialRow => ({
  id: row.id,
  teamId: row.teamId,
  providerId: row.pluginId,
  name: row.name,
  settings: row.settings,
  secrets: row.secrets,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const asConfig = (row: CredentialRow): PluginConfigRow => ({
  id: row.id,
  teamId: row.teamId,
  kind: KIND,
  pluginId: row.providerId,
  name: row.name,
  uniqueKey: row.name,
  settings: row.settings,
  secrets: row.secrets,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const nameTaken = (row: PluginConfigRow) =>
  new ApiError(409, 'name_taken', `This team already has credentials named "${row.name}"`, [
    { field: 'body.name', message: 'must be unique in the team' },
  ]);

export async function createCredential(
  db: Database,
  env: Pick<Env, 'ENCRYPTION_KEY'>,
  teamId: string,
  input: { providerId: string; name: string; settings: Record<string, unknown> },
): Promise<CredentialRow> {
  const { row } = await preparePluginConfig(
    env,
    teamId,
    { pluginId: input.providerId, name: input.name, settings: input.settings },
    { kind: KIND, idPrefix: 'cred', field: 'body.providerId' },
  );
  await guardConflict(row, insertPluginConfig(db, row), nameTaken);
  return asCredential(row);
}

export async function findCredential(db: Database, teamId: string, id: string): Promise<CredentialRow> {
  return asCredential(await findPluginConfig(db, teamId, id, KIND, 'Credential'));
}

/**
 * One page of the team's credentials, oldest first, optionally of one provider: keyset over (created_at, id), so no
 * credential is ever silently left out (the cursor is the last row's key, worker/http/cursor.ts).
 */
export async function listCredentials(
  db: Database,
  teamId: string,
  query: { limit: number; cursor?: string | undefined; providerId?: string | undefined },
): Promise<{ data: CredentialRow[]; nextCursor: string | null }> {
  const result = await listPluginConfigs(db, teamId, {
    limit: query.limit,
    cursor: query.cursor,
    kind: KIND,
    pluginId: query.providerId,
  });
  return { data: result.data.map(asCredential), nextCursor: result.nextCursor };
}

/** Renames, or patches the settings over the stored ones (an omitted secret keeps its value) and seals them anew. */
export async function updateCredential(
  db: Database,
  env: Pick<Env, 'ENCRYPTION_KEY'>,
  teamId: string,
  id: string,
  patch: { name?: string; settings?: Record<string, unknown> },
): Promise<CredentialRow> {
  const stored = await findPluginConfig(db, teamId, id, KIND, 'Credential');
  const { row } = await patchPluginConfig(env, stored, patch);
  await guardConflict(row, savePluginConfig(db, row), nameTaken);
  // Conversations in this isolate use the new settings from their next turn; elsewhere within ProviderCache.TTL_MS.
  forgetProviderSettings(teamId, id);
  return asCredential(row);
}

export async function deleteCredential(db: Database, teamId: string, id: string): Promise<void> {
  const row = await findPluginConfig(db, teamId, id, KIND, 'Credential');
  await removePluginConfig(db, row);
  forgetProviderSettings(teamId, id);
}

export const credentialSecretNames = (env: Pick<Env, 'ENCRYPTION_KEY'>, row: CredentialRow) =>
  configSecretNames(env, asConfig(row));
