import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { mcpServers } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { secretBox, secretContext } from '../security/secrets.ts';
import type { McpAuth, McpServerRow } from './auth-types.ts';

/** Bound to the team and row: a sealed auth copied into another server or team fails to open. */
const authContext = (teamId: string, id: string) => secretContext(teamId, 'mcp', id);

export async function sealAuth(env: Env, teamId: string, id: string, auth: McpAuth): Promise<string | null> {
  if (auth.kind === 'none') return null;
  return (await secretBox(env)).sealJson(auth as unknown as Record<string, unknown>, authContext(teamId, id));
}

export async function openAuth(env: Env, row: McpServerRow): Promise<McpAuth> {
  if (!row.sealedAuth) return { kind: 'none' };
  return (await (await secretBox(env)).openJson(row.sealedAuth, authContext(row.teamId, row.id))) as McpAuth;
}

/**
 * Stores `auth` in place of the sealed text `row` was read with, only if nobody changed it since (a PATCH of the
 * auth, or another request finishing the same flow): false when the row moved on. D1 has no transactions; this
 * compare-and-set is what makes a state single use.
 */
export async function replaceAuth(env: Env, db: Database, row: McpServerRow, auth: McpAuth): Promise<string | false> {
  const sealed = await sealAuth(env, row.teamId, row.id, auth);
  const current = row.sealedAuth === null ? undefined : eq(mcpServers.sealedAuth, row.sealedAuth);
  const changed = await db
    .update(mcpServers)
    .set({ authKind: auth.kind, sealedAuth: sealed, updatedAt: Date.now() })
    .where(and(eq(mcpServers.teamId, row.teamId), eq(mcpServers.id, row.id), current))
    .returning({ id: mcpServers.id });
  return changed.length > 0 && sealed !== null ? sealed : false;
}
