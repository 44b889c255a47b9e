// STUB of m10-ca-spec's module: deleted when that branch is merged.
import { parse } from 'yaml';
import type { ParsedSpec, SpecIssue } from './types.ts';

export function parseSpec(text: string): { ok: true; spec: ParsedSpec } | { ok: false; issues: SpecIssue[] } {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: '', message: `not JSON or YAML: ${String(error)}` }] };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    return { ok: false, issues: [{ path: '', message: 'not an object' }] };
  const doc = document as Record<string, unknown>;
  if (typeof doc.swagger === 'string')
    return { ok: false, issues: [{ path: 'swagger', message: 'Swagger 2 is not supported' }] };
  if (typeof doc.openapi !== 'string' || !/^3\.[01]\./.test(doc.openapi))
    return { ok: false, issues: [{ path: 'openapi', message: 'must be 3.0.x or 3.1.x' }] };
  const info = (doc.info ?? {}) as Record<string, unknown>;
  if (typeof info.title !== 'string') return { ok: false, issues: [{ path: 'info.title', message: 'missing' }] };
  if (typeof doc.paths !== 'object' || doc.paths === null)
    return { ok: false, issues: [{ path: 'paths', message: 'missing' }] };
  const servers = Array.isArray(doc.servers)
    ? doc.servers.flatMap((s) => (typeof s?.url === 'string' ? [s.url as string] : []))
    : [];
  return {
    ok: true,
    spec: { openapi: doc.openapi, title: info.title, version: String(info.version ?? ''), servers, document: doc },
  };
}
