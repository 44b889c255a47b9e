import type { SecuritySchemeInfo } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';
import { readCapped } from './read-body.ts';
import type { SpecSource } from './schemas.ts';
import { listOperations, securitySchemes } from './spec/operations.ts';
import type { ActionOperation, ParsedSpec } from './spec/types.ts';

/**
 * A spec fetched from a URL: at most 2 MB, D1's limit on one row (developers.cloudflare.com/d1/platform/limits),
 * since the action's operations are stored in one. A larger spec can be trimmed to the operations an action needs.
 */
export const MAX_SPEC_URL_BYTES = 2_000_000;
/** What the stored operations may take of the row (the rest is names, URLs and the sealed auth). */
export const MAX_STORED_OPERATIONS_BYTES = 1_800_000;
const FETCH_TIMEOUT_MS = 15_000;
/** Media types a spec is served as; an HTML page (a login wall, a docs site) is refused by name. */
const SPEC_TYPES =
  /^(application\/(json|yaml|x-yaml|vnd\.oai\.openapi(\+json)?|octet-stream)|text\/(plain|yaml|x-yaml))$/;

export interface ResolvedSpec {
  spec: ParsedSpec;
  operations: ActionOperation[];
  securitySchemes: Record<string, SecuritySchemeInfo>;
  /** The spec's first server URL resolved to an absolute http(s) URL, if it names one. */
  defaultBaseUrl: string | null;
}

const specError = (field: string, message: string, issues?: unknown) =>
  new ApiError(400, 'invalid_spec', `Invalid ${field}: ${message}`, issues);

async function fetchSpecText(env: Env, url: string, field: string): Promise<string> {
  let response: Response;
  try {
    response = await outboundFetch(env)(url, {
      headers: { accept: 'application/json, application/yaml, text/yaml, text/plain' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (error) {
    throw specError(field, `the spec could not be fetched (${error instanceof Error ? error.message : 'failed'})`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw specError(field, `fetching the spec answered HTTP ${response.status}`);
  }
  const type = (response.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]?.trim() ?? '';
  if (!SPEC_TYPES.test(type.toLowerCase())) {
    await response.body?.cancel();
    throw specError(field, `the URL serves ${type}, not a JSON or YAML document`);
  }
  const { bytes, truncated } = await readCapped(response.body, MAX_SPEC_URL_BYTES);
  if (truncated) throw specError(field, `the spec is larger than ${MAX_SPEC_URL_BYTES} bytes`);
  return new TextDecoder().decode(bytes);
}

function absoluteServer(servers: readonly string[], specUrl: string | null): string | null {
  const first = servers[0];
  if (first === undefined || first.includes('{')) return null;
  try {
    const url = specUrl ? new URL(first, specUrl) : new URL(first);
    return /^https?:$/.test(url.protocol) ? url.toString().replace(/\/$/, '') : null;
  } catch {
    return null;
  }
}

/** The spec's text (fetched when it is a URL), parsed and validated; a bad one is a 400 naming `field` and each issue. */
export async function resolveSpec(env: Env, source: SpecSource, field: string): Promise<ResolvedSpec> {
  const text = source.source === 'text' ? source.text : await fetchSpecText(env, source.url, `${field}.url`);
  const at = source.source === 'text' ? `${field}.text` : `${field}.url`;
  // Loaded here, not at startup: the parser pulls in `yaml`, the OpenAPI meta-schemas and their validator, which only
  // saving a spec needs (module evaluation counts against every isolate's startup, most never save one).
  const { parseSpec } = await import('./spec/parse.ts');
  const parsed = parseSpec(text);
  if (!parsed.ok) {
    const first = parsed.issues[0];
    const summary = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'not a valid OpenAPI document';
    throw specError(
      at,
      summary,
      parsed.issues.slice(0, 50).map((issue) => ({ field: at, path: issue.path, message: issue.message })),
    );
  }
  const operations = listOperations(parsed.spec);
  if (operations.length === 0) throw specError(at, 'the spec has no operations');
  if (new TextEncoder().encode(JSON.stringify(operations)).byteLength > MAX_STORED_OPERATIONS_BYTES)
    throw specError(at, `the spec's operations take more than ${MAX_STORED_OPERATIONS_BYTES} bytes once resolved`);
  return {
    spec: parsed.spec,
    operations,
    securitySchemes: securitySchemes(parsed.spec) as Record<string, SecuritySchemeInfo>,
    defaultBaseUrl: absoluteServer(parsed.spec.servers, source.source === 'url' ? source.url : null),
  };
}
