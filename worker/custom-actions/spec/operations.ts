// STUB of m10-ca-spec's module: deleted when that branch is merged.
import type { ActionOperation, JsonSchema, ParsedSpec } from './types.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

function deref(doc: Record<string, unknown>, value: unknown, depth = 0): unknown {
  if (depth > 8 || typeof value !== 'object' || value === null) return depth > 8 ? {} : value;
  if (Array.isArray(value)) return value.map((v) => deref(doc, v, depth + 1));
  const ref = (value as Record<string, unknown>).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    let target: unknown = doc;
    for (const part of ref.slice(2).split('/')) target = (target as Record<string, unknown>)?.[part];
    return deref(doc, target, depth + 1);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deref(doc, v, depth + 1)]));
}

export function listOperations(spec: ParsedSpec): ActionOperation[] {
  const doc = spec.document;
  const ops: ActionOperation[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const method of METHODS) {
      const op = item[method] as Record<string, unknown> | undefined;
      if (!op) continue;
      const operationId = typeof op.operationId === 'string' ? op.operationId : `${method}_${path}`;
      const groups: Record<string, { type: 'object'; properties: Record<string, unknown>; required: string[] }> = {};
      const params = [...((item.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])];
      for (const raw of params) {
        const p = deref(doc, raw) as { name: string; in: string; required?: boolean; schema?: JsonSchema };
        if (p.in === 'cookie') continue;
        const group = groups[p.in] ?? { type: 'object', properties: {}, required: [] };
        groups[p.in] = group;
        group.properties[p.name] = p.schema ?? {};
        if (p.required || p.in === 'path') group.required.push(p.name);
      }
      const properties: Record<string, unknown> = { ...groups };
      const required = Object.entries(groups)
        .filter(([, g]) => g.required.length > 0)
        .map(([k]) => k);
      let bodyMediaType: ActionOperation['bodyMediaType'] = null;
      const body = deref(doc, op.requestBody) as { required?: boolean; content?: Record<string, { schema?: unknown }> };
      if (body?.content?.['application/json']) {
        bodyMediaType = 'application/json';
        properties.body = body.content['application/json'].schema ?? {};
        if (body.required) required.push('body');
      }
      ops.push({
        operationId,
        toolName: operationId.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64),
        method,
        path,
        summary: String(op.summary ?? op.description ?? '').slice(0, 1024),
        parameters: { type: 'object', properties, required },
        bodyMediaType,
        security: (op.security ?? doc.security ?? []) as Array<Record<string, string[]>>,
      });
    }
  }
  return ops;
}

export function securitySchemes(spec: ParsedSpec): Record<
  string,
  {
    type: 'apiKey' | 'http' | 'oauth2' | 'openIdConnect';
    in?: 'header' | 'query' | 'cookie';
    name?: string;
    scheme?: string;
    tokenUrl?: string;
  }
> {
  const components = (spec.document.components ?? {}) as Record<string, unknown>;
  return (components.securitySchemes ?? {}) as ReturnType<typeof securitySchemes>;
}
