import { and, desc, eq, inArray } from 'drizzle-orm';
import type { JsonObject } from '../../plugins/sdk/index.ts';
import type { Database } from '../db/client.ts';
import { mcpServers } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { newId } from '../ids.ts';
import { secretBox, secretContext } from '../security/secrets.ts';
import type { McpConnection } from './client.ts';

export type McpAuth =
  | { kind: 'none' }
  | { kind: 'headers'; headers: Record<string, string> }
  | { kind: 'bearer'; token: string };

export interface McpToolInfo {
  name: string;
  description: string;
  inputSchema: JsonObject;
}

export type McpServerRow = typeof mcpServers.$inferSelect;

/** A server as the API shows it: auth by kind and header names only, never a value. */
export interface McpServerView {
  id: string;
  name: string;
  url: string;
  transport: 'streamable-http' | 'sse';
  auth: { kind: McpAuth['kind']; headerNames?: string[] };
  allowedTools: string[];
  tools: McpToolInfo[] | null;
  toolsRefreshedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const authContext = (teamId: string, id: string) => secretContext(teamId, 'mcp', id);

export async function sealAuth(env: Env, teamId: string, id: string, auth: McpAuth): Promise<string | null> {
  if (auth.kind === 'none') return null;
  return (await secretBox(env)).sealJson(auth as unknown as Record<string, unknown>, authContext(teamId, id));
}

/** The headers a connection to this server sends, opened from the sealed row. */
export async function connectionFor(env: Env, row: McpServerRow): Promise<McpConnection> {
  const headers: Record<string, string> = {};
  if (row.sealedAuth) {
    const auth = (await (await secretBox(env)).openJson(row.sealedAuth, authContext(row.teamId, row.id))) as McpAuth;
    if (auth.kind === 'headers') Object.assign(headers, auth.headers);
    if (auth.kind === 'bearer') headers.authorization = `Bearer ${auth.token}`;
  }
  return { url: row.url, transport: row.transport, headers };
}

export async function headerNames(env: Env, row: McpServerRow): Promise<string[] | undefined> {
  if (row.authKind !== 'headers' || !row.sealedAuth) return undefined;
  const auth = (await (await secretBox(env)).openJson(row.sealedAuth, authContext(row.teamId, row.id))) as McpAuth;
  return auth.kind === 'headers' ? Object.keys(auth.headers) : undefined;
}

export const cachedTools = (row: McpServerRow): McpToolInfo[] | null =>
  row.toolsCache ? (JSON.parse(row.toolsCache) as McpToolInfo[]) : null;

export const allowedTools = (row: McpServerRow): string[] => JSON.parse(row.allowedTools) as string[];

export async function viewOf(env: Env, row: McpServerRow): Promise<McpServerView> {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    transport: row.transport,
    auth: { kind: row.authKind, headerNames: await headerNames(env, row) },
    allowedTools: allowedTools(row),
    tools: cachedTools(row),
    toolsRefreshedAt: row.toolsRefreshedAt === null ? null : new Date(row.toolsRefreshedAt).toISOString(),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export interface NewMcpServer {
  name: string;
  url: string;
  transport: 'streamable-http' | 'sse';
  auth: McpAuth;
  allowedTools: string[];
}

export async function createServer(env: Env, db: Database, teamId: string, input: NewMcpServer, now = Date.now()) {
  const id = newId('mcp', now);
  const row: McpServerRow = {
    id,
    teamId,
    name: input.name,
    url: input.url,
    transport: input.transport,
    authKind: input.auth.kind,
    sealedAuth: await sealAuth(env, teamId, id, input.auth),
    allowedTools: JSON.stringify(input.allowedTools),
    toolsCache: null,
    toolsRefreshedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(mcpServers).values(row);
  return row;
}

export async function getServer(db: Database, teamId: string, id: string): Promise<McpServerRow | undefined> {
  return db.query.mcpServers.findFirst({ where: and(eq(mcpServers.teamId, teamId), eq(mcpServers.id, id)) });
}

export async function listServers(db: Database, teamId: string): Promise<McpServerRow[]> {
  return db.query.mcpServers.findMany({
    where: eq(mcpServers.teamId, teamId),
    orderBy: desc(mcpServers.createdAt),
    limit: MAX_SERVERS_PER_TEAM,
  });
}

export async function serversByIds(db: Database, teamId: string, ids: readonly string[]): Promise<McpServerRow[]> {
  if (ids.length === 0) return [];
  return db.query.mcpServers.findMany({
    where: and(eq(mcpServers.teamId, teamId), inArray(mcpServers.id, [...ids])),
  });
}

export async function updateServer(
  db: Database,
  teamId: string,
  id: string,
  patch: Partial<Omit<McpServerRow, 'id' | 'teamId' | 'createdAt'>>,
): Promise<void> {
  await db
    .update(mcpServers)
    .set(patch)
    .where(and(eq(mcpServers.teamId, teamId), eq(mcpServers.id, id)));
}

export async function deleteServer(db: Database, teamId: string, id: string): Promise<boolean> {
  const gone = await db
    .delete(mcpServers)
    .where(and(eq(mcpServers.teamId, teamId), eq(mcpServers.id, id)))
    .returning({ id: mcpServers.id });
  return gone.length > 0;
}

/** A team's servers: one list page, and a turn's definition checks read them all. */
export const MAX_SERVERS_PER_TEAM = 50;
