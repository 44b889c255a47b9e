import { DerefBudgetError, dereference } from './refs.ts';
import { requestBody } from './request-body.ts';
import { toJsonSchema } from './schema.ts';
import { type ActionOperation, HTTP_METHODS, isRecord, type JsonSchema, type ParsedSpec } from './types.ts';

export { securitySchemes } from './security.ts';

/**
 * A tool's description limit: OpenAI rejects a longer `tools[].function.description` ("string_above_max_length …
 * maximum length 1024", quoted in github.com/rusiaaman/wcgw/issues/51); Anthropic accepts more, so the lower wins.
 */
export const SUMMARY_MAX_CHARS = 1024;

/** OpenAI's and Anthropic's function-name rule. */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
const TOOL_NAME_MAX = 64;

/**
 * Headers the model may never set, even when a spec declares them as parameters: credentials are ca-core's to add
 * (the team's secrets, never the model's), and framing or routing headers belong to the runtime (RFC 9110 §7.6.1
 * hop-by-hop fields; Host, Content-Length and Transfer-Encoding would let a request be smuggled or misrouted).
 */
export const RESERVED_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/** Every operation of the document, one tool each, in document order. */
export function listOperations(spec: ParsedSpec): ActionOperation[] {
  const document = spec.document;
  const openapi30 = spec.openapi.startsWith('3.0');
  const paths = isRecord(document.paths) ? document.paths : {};
  const rootSecurity = securityList(document.security) ?? [];
  const operations: ActionOperation[] = [];
  const ids = new Set<string>();
  const names = new Set<string>();
  // Explicit operationIds are unique (parseSpec checks); a derived one must not take an explicit one's id.
  for (const item of Object.values(paths)) {
    if (!isRecord(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (isRecord(op) && typeof op.operationId === 'string') ids.add(op.operationId);
    }
  }
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolveShallow(rawItem, document);
    if (!isRecord(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      let operationId = typeof operation.operationId === 'string' ? operation.operationId : '';
      if (operationId === '') {
        operationId = unique(sanitizeToolName(`${method}_${path}`), ids);
        ids.add(operationId);
      }
      const toolName = unique(sanitizeToolName(operationId), names);
      names.add(toolName);
      const { parameters, bodyMediaType, styles, files } = buildParameters(item, operation, document, openapi30);
      operations.push({
        operationId,
        toolName,
        method,
        path,
        summary: summaryOf(operation),
        parameters,
        bodyMediaType,
        ...files,
        ...(Object.keys(styles).length > 0 && { styles }),
        security: securityList(operation.security) ?? rootSecurity,
      });
    }
  }
  return operations;
}

/** Any text → a valid function name: other characters become "_", runs collapse, at most 64 characters. */
export function sanitizeToolName(raw: string): string {
  const name = raw
    .replace(/[^a-zA-Z0-9_-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '')
    .slice(0, TOOL_NAME_MAX)
    .replace(/[_-]+$/, '');
  return name === '' ? 'operation' : name;
}

/** `name`, or `name_2`, `name_3`, … (cut to stay within 64 characters) when it is taken. */
function unique(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n += 1) {
    const suffix = `_${n}`;
    const candidate = `${name.slice(0, TOOL_NAME_MAX - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

function summaryOf(operation: Record<string, unknown>): string {
  const text = [operation.summary, operation.description].find((v) => typeof v === 'string' && v.trim() !== '');
  const summary = typeof text === 'string' ? text.trim().replace(/\s+/g, ' ') : '';
  return summary.length > SUMMARY_MAX_CHARS ? `${summary.slice(0, SUMMARY_MAX_CHARS - 1)}…` : summary;
}

function securityList(value: unknown): Array<Record<string, string[]>> | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isRecord).map((requirement) => {
    const out: Record<string, string[]> = {};
    for (const [name, scopes] of Object.entries(requirement)) {
      out[name] = Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [];
    }
    return out;
  });
}

function resolveShallow(value: unknown, document: unknown): unknown {
  try {
    return dereference(value, document);
  } catch (error) {
    if (error instanceof DerefBudgetError) return {};
    throw error;
  }
}

type Group = { properties: Record<string, unknown>; required: string[] };

/**
 * Path-level and operation-level parameters merged (the operation's win, keyed by name + location, per the
 * Operation Object's `parameters`), grouped into one object schema per location plus the request body.
 * Cookie parameters are left out (browsers' cookie jars are no tool argument), and so are RESERVED_HEADERS.
 */
function buildParameters(
  item: Record<string, unknown>,
  operation: Record<string, unknown>,
  document: Record<string, unknown>,
  openapi30: boolean,
): {
  parameters: JsonSchema;
  bodyMediaType: ActionOperation['bodyMediaType'];
  styles: NonNullable<ActionOperation['styles']>;
  files: Pick<ActionOperation, 'fileFields' | 'rawMediaTypes'>;
} {
  const merged = new Map<string, Record<string, unknown>>();
  for (const list of [item.parameters, operation.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const parameter = resolveShallow(raw, document);
      if (!isRecord(parameter) || typeof parameter.name !== 'string' || typeof parameter.in !== 'string') continue;
      const key = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
      merged.set(`${parameter.in}\n${key}`, parameter);
    }
  }
  const groups: Record<'path' | 'query' | 'header', Group> = {
    path: { properties: {}, required: [] },
    query: { properties: {}, required: [] },
    header: { properties: {}, required: [] },
  };
  const styles: NonNullable<ActionOperation['styles']> = {};
  for (const parameter of merged.values()) {
    const place = parameter.in;
    const name = parameter.name as string;
    if (place !== 'path' && place !== 'query' && place !== 'header') continue;
    if (place === 'header' && RESERVED_HEADERS.has(name.toLowerCase())) continue;
    const schema = toJsonSchema(parameterSchema(parameter), openapi30);
    if (typeof parameter.description === 'string' && schema.description === undefined) {
      schema.description = parameter.description;
    }
    groups[place].properties[name] = schema;
    if (place !== 'header' && (typeof parameter.style === 'string' || typeof parameter.explode === 'boolean')) {
      const style = typeof parameter.style === 'string' ? parameter.style : place === 'path' ? 'simple' : 'form';
      styles[`${place}:${name}`] = {
        style,
        explode: typeof parameter.explode === 'boolean' ? parameter.explode : style === 'form',
      };
    }
    // Path parameters are always required ("REQUIRED … its value MUST be true", Parameter Object).
    if (place === 'path' || parameter.required === true) groups[place].required.push(name);
  }

  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const place of ['path', 'query', 'header'] as const) {
    const group = groups[place];
    if (Object.keys(group.properties).length === 0) continue;
    properties[place] = {
      type: 'object',
      properties: group.properties,
      ...(group.required.length > 0 ? { required: group.required } : {}),
      additionalProperties: false,
    };
    if (group.required.length > 0) required.push(place);
  }

  const body = requestBody(resolveShallow(operation.requestBody, document), openapi30);
  if (body) {
    properties.body = body.schema;
    if (body.required) required.push('body');
  }
  return {
    parameters: {
      type: 'object',
      properties,
      ...(required.length > 0 ? { required } : {}),
      additionalProperties: false,
    },
    bodyMediaType: body?.mediaType ?? null,
    styles,
    files: {
      ...(body?.fileFields && body.fileFields.length > 0 && { fileFields: body.fileFields }),
      ...(body?.rawMediaTypes && { rawMediaTypes: body.rawMediaTypes }),
    },
  };
}

function parameterSchema(parameter: Record<string, unknown>): unknown {
  if (parameter.schema !== undefined) return parameter.schema;
  // A parameter may describe itself with `content` (one media type) instead of `schema`.
  if (isRecord(parameter.content)) {
    const media = Object.values(parameter.content)[0];
    if (isRecord(media) && media.schema !== undefined) return media.schema;
  }
  return { type: 'string' };
}
