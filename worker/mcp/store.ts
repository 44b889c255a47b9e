import { and, desc, eq, inArray } from 'drizzle-orm';
import type { JsonObject } from '../../plugins/sdk/index.ts';
import { type Database, database } from '../db/client.ts';
import { mcpServers } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { newId } from '../ids.ts';
import type { McpAuth, McpServerRow } from './auth-types.ts';
import { authorizationCodeTokens } from './authorization-code-tokens.ts';
import type { McpConnection } from './client.ts';
import { clientCredentialsTokens } from './oauth.ts';
import { openAuth, sealAuth } from './sealed-auth.ts';

export type { McpAuth, McpServerRow };

export interface McpToolInfo {
  name: string;
  description: string;
  inputSchema: JsonObject;
}

/** A server as the API shows it: auth by kind and header names only, never a value. */
export interface McpServerView {
  id: string;
  name: string;
  url: string;
  transport: 'streamable-http' | 'sse';
  auth: McpAuthView;
  allowedTools: string[];
  tools: McpToolInfo[] | null;
  toolsRefreshedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What the API shows of the auth: header names, the OAuth endpoint and client id; never a secret or token. */
export interface McpAuthView {
  kind: McpAuth['kind'];
  headerNames?: string[];
  tokenUrl?: string;
  clientId?: string;
  scopes?: string[];
  /** Authorization code flow: whether a person completed it (tokens are stored). */
  connected?: boolean;
}

export { sealAuth };

/** The headers (or OAuth token source) a connection to this server uses, opened from the sealed row. */
export async function connectionFor(env: Env, row: McpServerRow): Promise<McpConnection> {
  const headers: Record<string, string> = {};
  const auth = await openAuth(env, row);
  const connection: McpConnection = { url: row.url, transport: row.transport, headers };
  if (auth.kind === 'headers') Object.assign(headers, auth.headers);
  if (auth.kind === 'bearer') headers.authorization = `Bearer ${auth.token}`;
  if (auth.kind === 'oauth2_client_credentials')
    // Keyed by the sealed text too: new credentials (a PATCH reseals) never reuse the old client's token.
    connection.tokens = clientCredentialsTokens(env, `${row.id}:${row.sealedAuth ?? ''}`, auth);
  if (auth.kind === 'oauth2_authorization_code')
    connection.tokens = authorizationCodeTokens(env, row, auth, () => getServer(database(env.DB), row.teamId, row.id));
  return connection;
}

export async function authView(env: Env, row: McpServerRow): Promise<McpAuthView> {
  if (row.authKind === 'none' || row.authKind === 'bearer') return { kind: row.authKind };
  const auth = await openAuth(env, row);
  if (auth.kind === 'oauth2_authorization_code')
    return {
      kind: auth.kind,
      connected: auth.tokens !== undefined,
      scopes: auth.scopes ?? [],
      ...(auth.clientId !== undefined && { clientId: auth.clientId }),
    };
  if (auth.kind === 'headers') return { kind: auth.kind, headerNames: Object.keys(auth.headers) };
  if (auth.kind === 'oauth2_client_credentials')
    return { kind: auth.kind, tokenUrl: auth.tokenUrl, clientId: auth.clientId, scopes: auth.scopes ?? [] };
  return { kind: row.authKind };
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
    auth: await authView(env, row),
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
