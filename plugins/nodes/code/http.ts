import { boundedText } from '../../sdk/bounded-body.ts';
import type { JsonObject, JsonValue } from '../../sdk/index.ts';
import type { NodeContext } from '../../sdk/node/kind.ts';
import type { SandboxHostFunction } from '../../sdk/node/sandbox.ts';
import type { CodeSettings } from './settings.ts';

/** Response bytes handed to the guest: enough for an API answer, small next to the sandbox's 16 MiB heap. */
export const MAX_HTTP_RESPONSE_BYTES = 64 * 1024;
const MAX_REQUEST_BODY_CHARS = 64 * 1024;
const KEPT_HEADERS = ['content-type', 'content-length', 'location', 'retry-after', 'etag', 'last-modified'];

/**
 * `http.get(url, { headers })` / `http.post(url, body, { headers })` for the guest: only to the hosts the node's
 * settings allow, through `ctx.services.fetch` (the host's outbound guard: private addresses refused in production,
 * redirects re-checked), at most `maxRequests` per run, response bounded. Resolves to
 * `{ status, ok, headers, json?, text? }`; rejects (a catchable guest error) when refused.
 */
export function httpHelper(ctx: NodeContext<CodeSettings>): SandboxHostFunction {
  let made = 0;
  return async (method, url, options) => {
    const http = ctx.settings.http;
    if (!http) throw new Error('this code node has no http access (settings.http.allowedHosts)');
    if (typeof url !== 'string') throw new Error('http needs a URL string');
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new Error(`not a URL: ${url.slice(0, 200)}`);
    }
    if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error('http URLs must be http or https');
    if (!hostAllowed(target.hostname, http.allowedHosts))
      throw new Error(`host ${target.hostname} is not in this node's allowed hosts`);
    if (++made > http.maxRequests) throw new Error(`at most ${http.maxRequests} http requests per run`);
    const init = requestInit(method === 'POST' ? 'POST' : 'GET', options);
    const response = await ctx.services.fetch(target, { ...init, signal: ctx.signal });
    return await readResponse(response);
  };
}

export function hostAllowed(hostname: string, allowed: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return allowed.some((pattern) =>
    pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern,
  );
}

function requestInit(method: 'GET' | 'POST', options: JsonValue | undefined): RequestInit {
  const record = options && typeof options === 'object' && !Array.isArray(options) ? (options as JsonObject) : {};
  const headers = new Headers();
  const given = record.headers;
  if (given && typeof given === 'object' && !Array.isArray(given)) {
    for (const [name, value] of Object.entries(given)) if (typeof value === 'string') headers.set(name, value);
  }
  if (method === 'GET' || record.body === null || record.body === undefined) return { method, headers };
  const body = typeof record.body === 'string' ? record.body : JSON.stringify(record.body);
  if (body.length > MAX_REQUEST_BODY_CHARS)
    throw new Error(`request bodies are at most ${MAX_REQUEST_BODY_CHARS} characters`);
  if (typeof record.body !== 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return { method, headers, body };
}

async function readResponse(response: Response): Promise<JsonObject> {
  const headers: JsonObject = {};
  for (const name of KEPT_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const text = await boundedText(response, MAX_HTTP_RESPONSE_BYTES);
  const result: JsonObject = { status: response.status, ok: response.ok, headers };
  if (/\bjson\b/.test(response.headers.get('content-type') ?? '')) {
    try {
      result.json = JSON.parse(text) as JsonValue;
      return result;
    } catch {
      // Not JSON after all: hand over the text.
    }
  }
  result.text = text;
  return result;
}
