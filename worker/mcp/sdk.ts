/**
 * @modelcontextprotocol/sdk, evaluated on first use rather than when the Worker starts: every isolate (and every test
 * file) imports the whole Worker, and most never talk to an MCP server. Memoised, so later calls share the modules.
 */
export interface McpClientSdk {
  Client: typeof import('@modelcontextprotocol/sdk/client/index.js').Client;
  SSEClientTransport: typeof import('@modelcontextprotocol/sdk/client/sse.js').SSEClientTransport;
  StreamableHTTPClientTransport: typeof import('@modelcontextprotocol/sdk/client/streamableHttp.js').StreamableHTTPClientTransport;
  CfWorkerJsonSchemaValidator: typeof import('@modelcontextprotocol/sdk/validation/cfworker').CfWorkerJsonSchemaValidator;
}

let client: Promise<McpClientSdk> | undefined;
let auth: Promise<typeof import('@modelcontextprotocol/sdk/client/auth.js')> | undefined;

/** The client and its transports (client.ts). */
export const mcpClientSdk = (): Promise<McpClientSdk> => (client ??= loadClient());

/** The OAuth flows' `auth()` (authorization-code.ts, authorization-code-tokens.ts). */
export const mcpAuthSdk = (): Promise<typeof import('@modelcontextprotocol/sdk/client/auth.js')> =>
  (auth ??= import('@modelcontextprotocol/sdk/client/auth.js'));

async function loadClient(): Promise<McpClientSdk> {
  const [{ Client }, { SSEClientTransport }, { StreamableHTTPClientTransport }, { CfWorkerJsonSchemaValidator }] =
    await Promise.all([
      import('@modelcontextprotocol/sdk/client/index.js'),
      import('@modelcontextprotocol/sdk/client/sse.js'),
      import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
      import('@modelcontextprotocol/sdk/validation/cfworker'),
    ]);
  return { Client, SSEClientTransport, StreamableHTTPClientTransport, CfWorkerJsonSchemaValidator };
}
