import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { customActions } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { iso } from '../http/schemas.ts';
import { newId } from '../ids.ts';
import { type ActionAuth, authInfoOf, sealAuth } from './auth.ts';
import type { CustomActionView } from './schemas.ts';
import type { ResolvedSpec } from './spec-source.ts';

export type CustomActionRow = typeof customActions.$inferSelect;

/** A team's actions: one list page, and a definition check or catalog reads them all. */
export const MAX_ACTIONS_PER_TEAM = 100;

export const selectedOperations = (row: Pick<CustomActionRow, 'operations' | 'selectedOperations'>) => {
  const selected = new Set(row.selectedOperations);
  return row.operations.filter((op) => selected.has(op.operationId));
};

export function viewOf(row: CustomActionRow): CustomActionView {
  const selected = new Set(row.selectedOperations);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    title: row.title,
    version: row.version,
    baseUrl: row.baseUrl,
    operations: row.operations.map((op) => ({
      operationId: op.operationId,
      toolName: op.toolName,
      method: op.method,
      path: op.path,
      summary: op.summary,
      selected: selected.has(op.operationId),
    })),
    auth: { ...row.authInfo, configured: true },
    health: row.healthUrl
      ? {
          url: row.healthUrl,
          status: row.healthStatus ?? 'unknown',
          checkedAt: iso(row.healthCheckedAt),
          message: row.healthMessage,
        }
      : null,
    createdAt: iso(row.createdAt) as string,
    updatedAt: iso(row.updatedAt) as string,
  };
}

export interface NewAction {
  name: string;
  description: string;
  specUrl: string | null;
  resolved: ResolvedSpec;
  baseUrl: string;
  selectedOperations: string[];
  auth: ActionAuth;
  healthUrl: string | null;
}

export async function createAction(env: Env, db: Database, teamId: string, input: NewAction, now = Date.now()) {
  const id = newId('act', now);
  const row: CustomActionRow = {
    id,
    teamId,
    name: input.name,
    description: input.description,
    specUrl: input.specUrl,
    title: input.resolved.spec.title,
    version: input.resolved.spec.version,
    servers: input.resolved.spec.servers,
    baseUrl: input.baseUrl,
    operations: input.resolved.operations,
    securitySchemes: input.resolved.securitySchemes,
    selectedOperations: input.selectedOperations,
    authInfo: authInfoOf(input.auth),
    sealedAuth: await sealAuth(env, teamId, id, input.auth),
    healthUrl: input.healthUrl,
    healthStatus: input.healthUrl ? 'unknown' : null,
    healthCheckedAt: null,
    healthMessage: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(customActions).values(row);
  return row;
}

export async function getAction(db: Database, teamId: string, id: string): Promise<CustomActionRow | undefined> {
  return db.query.customActions.findFirst({ where: and(eq(customActions.teamId, teamId), eq(customActions.id, id)) });
}

export async function listActions(db: Database, teamId: string): Promise<CustomActionRow[]> {
  return db.query.customActions.findMany({
    where: eq(customActions.teamId, teamId),
    orderBy: desc(customActions.createdAt),
    limit: MAX_ACTIONS_PER_TEAM,
  });
}

export async function actionsByIds(db: Database, teamId: string, ids: readonly string[]): Promise<CustomActionRow[]> {
  if (ids.length === 0) return [];
  return db.query.customActions.findMany({
    where: and(eq(customActions.teamId, teamId), inArray(customActions.id, [...new Set(ids)])),
  });
}

export async function updateAction(
  db: Database,
  teamId: string,
  id: string,
  patch: Partial<Omit<CustomActionRow, 'id' | 'teamId' | 'createdAt'>>,
): Promise<void> {
  await db
    .update(customActions)
    .set(patch)
    .where(and(eq(customActions.teamId, teamId), eq(customActions.id, id)));
}

export async function deleteAction(db: Database, teamId: string, id: string): Promise<boolean> {
  const gone = await db
    .delete(customActions)
    .where(and(eq(customActions.teamId, teamId), eq(customActions.id, id)))
    .returning({ id: customActions.id });
  return gone.length > 0;
}
