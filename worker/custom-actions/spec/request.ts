// STUB of m10-ca-spec's module: deleted when that branch is merged.
import type { ActionOperation, BuiltRequest } from './types.ts';

export function buildRequest(
  op: ActionOperation,
  baseUrl: string,
  args: unknown,
): { ok: true; request: BuiltRequest } | { ok: false; error: string } {
  const a = (args ?? {}) as {
    path?: Record<string, unknown>;
    query?: Record<string, unknown>;
    header?: Record<string, unknown>;
    body?: unknown;
  };
  let path = op.path;
  for (const [k, v] of Object.entries(a.path ?? {})) path = path.replace(`{${k}}`, encodeURIComponent(String(v)));
  if (/\{[^}]+\}/.test(path)) return { ok: false, error: `missing path parameter in ${op.path}` };
  const url = new URL(baseUrl.replace(/\/$/, '') + path);
  for (const [k, v] of Object.entries(a.query ?? {})) {
    if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, String(item));
    else url.searchParams.set(k, String(v));
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(a.header ?? {})) headers[k.toLowerCase()] = String(v);
  const request: BuiltRequest = { method: op.method.toUpperCase(), url: url.toString(), headers };
  if (a.body !== undefined && op.bodyMediaType === 'application/json') {
    request.headers['content-type'] = 'application/json';
    request.body = JSON.stringify(a.body);
  }
  return { ok: true, request };
}
