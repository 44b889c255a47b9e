import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';
import type { Env } from '../env.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';

/** Connecting (initialize handshake) longer than this means the server is down or misconfigured. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** One `tools/call` without progress: under the tool runner's 30 s cap on any tool (TOOL_TIMEOUT_MS). */
export const CALL_TIMEOUT_MS = 25_000;

export interface McpConnection {
  url: string;
  transport: 'streamable-http' | 'sse';
  /** Request headers (auth): opened from the sealed row just before connecting, never stored elsewhere. */
  headers: Record<string, string>;
}

/**
 * An SDK client connected to one server. Every HTTP request goes through the outbound guard (private and loopback
 * addresses refused unless ALLOW_PRIVATE_OUTBOUND), and tool output schemas are checked by the SDK's
 * @cfworker/json-schema validator: its default (ajv) compiles with `new Function`, which production refuses.
 */
export async function connectMcp(env: Env, connection: McpConnection): Promise<Client> {
  const guarded = outboundFetch(env);
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
