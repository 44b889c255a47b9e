import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { providerCredentials } from '../db/schema/index.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import type { Env } from '../env.ts';
import { afterCursorAscending, page } from '../http/cursor.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { openSettings, sealedSecretNames, sealSettings } from '../plugins/sealed-settings.ts';
import { mergeSettings, parsePluginSettings, providerPluginOrThrow } from '../plugins/settings.ts';
import { secretContext } from '../security/secrets.ts';

/**
 * A team's accounts with LLM providers. Like channels, the secret settings (API keys) are split from the public ones
 * and sealed with AES-GCM bound to the team and row; they are decrypted only to validate a change or call the
 * provider, and never answered.
 */
export type CredentialRow = typeof providerCredentials.$inferSelect;

const context = (row: Pick<CredentialRow, 'teamId' | 'id'>) => secretContext(row.teamId, 'provider', row.id);

const nameTaken = (name: string) =>
  new ApiError(409, 'name_taken', `This team already has credentials named "${name}"`, [
    { field: 'body.name', message: 'must be unique in the team' },
  ]);

const isNameConflict = (error: unknown) =>
  isUniqueViolation(error, 'provider_credentials.team_id, provider_credentials.name');

export async function createCredential(
  db: Database,
  env: Pick<Env, 'ENCRYPTION_KEY'>,
  teamId: string,
  input: { providerId: string; name: string; settings: Record<string, unknown> },
): Promise<CredentialRow> {
  const plugin = providerPluginOrThrow(input.providerId);
  const settings = parsePluginSettings(plugin, input.settings);
  const now = Date.now();
  const id = newId('cred', now);
  const row: CredentialRow = {
    id,
    teamId,
    providerId: plugin.id,
    name: input.name,
    ...(await sealSettings(env, plugin, settings, context({ teamId, id }))),
    createdAt: now,
    updatedAt: now,
  };
  try {
    await db.insert(providerCredentials).values(row);
  } catch (error) {
    if (isNameConflict(error)) throw nameTaken(input.name);
    throw error;
  }
  return row;
}

export async function findCredential(db: Database, teamId: string, id: string): Promise<CredentialRow> {
  const row = await db.query.providerCredentials.findFirst({
    where: and(eq(providerCredentials.id, id), eq(providerCredentials.teamId, teamId)),
  });
  if (!row) throw notFound('Credential');
  return row;
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
  const rows = await db
    .select()
    .from(providerCredentials)
    .where(
      and(
        eq(providerCredentials.teamId, teamId),
        query.providerId === undefined ? undefined : eq(providerCredentials.providerId, query.providerId),
        afterCursorAscending(query.cursor, providerCredentials.createdAt, providerCredentials.id),
      ),
    )
    .orderBy(asc(providerCredentials.createdAt), asc(providerCredentials.id))
    .limit(query.limit + 1);
  return page(rows, query.limit);
}

/** Renames, or patches the settings over the stored ones (an omitted secret keeps its value) and seals them anew. */
export async function updateCredential(
  db: Database,
  env: Pick<Env, 'ENCRYPTION_KEY'>,
  teamId: string,
  id: string,
  patch: { name?: string; settings?: Record<string, unknown> },
): Promise<CredentialRow> {
  const stored = await findCredential(db, teamId, id);
  const row: CredentialRow = {
    ...stored,
    name: patch.name ?? stored.name,
    updatedAt: Math.max(Date.now(), stored.updatedAt),
  };
  if (patch.settings) {
    const plugin = providerPluginOrThrow(stored.providerId);
    const current = await openSettings(env, stored, context(stored));
    const settings = parsePluginSettings(plugin, mergeSettings(current, patch.settings));
    Object.assign(row, await sealSettings(env, plugin, settings, context(stored)));
  }
  try {
    await db
      .update(providerCredentials)
      .set({ name: row.name, settings: row.settings, secrets: row.secrets, updatedAt: row.updatedAt })
      .where(and(eq(providerCredentials.id, id), eq(providerCredentials.teamId, teamId)));
  } catch (error) {
    if (isNameConflict(error)) throw nameTaken(row.name);
    throw error;
  }
  return row;
}

export async function deleteCredential(db: Database, teamId: string, id: string): Promise<void> {
  const row = await findCredential(db, teamId, id);
  await db
    .delete(providerCredentials)
    .where(and(eq(providerCredentials.id, row.id), eq(providerCredentials.teamId, teamId)));
}

export const credentialSecretNames = (env: Pick<Env, 'ENCRYPTION_KEY'>, row: CredentialRow) =>
  sealedSecretNames(env, row.secrets, context(row));
