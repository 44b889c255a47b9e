import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Env } from '../env.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';
import type { TokenSource } from './oauth.ts';
import { mcpClientSdk } from './sdk.ts';

/** Connecting (initialize handshake) longer than this means the server is down or misconfigured. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** One `tools/call` without progress: under the tool runner's 30 s cap on any tool (TOOL_TIMEOUT_MS). */
export const CALL_TIMEOUT_MS = 25_000;

export interface McpConnection {
  url: string;
  transport: 'streamable-http' | 'sse';
  /** Request headers (auth): opened from the sealed row just before connecting, never stored elsewhere. */
  headers: Record<string, string>;
  /** OAuth: each request carries the source's token; a 401 fetches a new one and retries once. */
  tokens?: TokenSource;
}

/** The guarded fetch, with the OAuth token set on every request and one retry with a new token after a 401. */
function authorizedFetch(guarded: typeof fetch, tokens: TokenSource | undefined): typeof fetch {
  if (!tokens) return guarded;
  const send = (input: Parameters<typeof fetch>[0], init: RequestInit | undefined, token: string) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    return guarded(input, { ...init, headers });
  };
  return async (input, init) => {
    const first = await send(input, init, await tokens.get());
    if (first.status !== 401) return first;
    await first.body?.cancel();
    // The SDK sends JSON-RPC bodies as strings, so the request can be sent again as it was.
    return send(input, init, await tokens.refresh());
  };
}

/**
 * An SDK client connected to one server. Every HTTP request goes through the outbound guard (private and loopback
 * addresses refused unless ALLOW_PRIVATE_OUTBOUND), and tool output schemas are checked by the SDK's
 * @cfworker/json-schema validator: its default (ajv) compiles with `new Function`, which production refuses.
 */
export async function connectMcp(env: Env, connection: McpConnection): Promise<Client> {
  const { Client, SSEClientTransport, StreamableHTTPClientTransport, CfWorkerJsonSchemaValidator } =
    await mcpClientSdk();
  const guarded = authorizedFetch(outboundFetch(env), connection.tokens);
  const url = new URL(connection.url);
  const requestInit: RequestInit = { headers: connection.headers };
  const transport =
    connection.transport === 'sse'
      ? new SSEClientTransport(url, { fetch: guarded, requestInit })
      : new StreamableHTTPClientTransport(url, { fetch: guarded, requestInit });
  const client = new Client(
    { name: 'parley', version: '1.0.0' },
    { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  await client.connect(transport, { timeout: CONNECT_TIMEOUT_MS });
  return client;
}
