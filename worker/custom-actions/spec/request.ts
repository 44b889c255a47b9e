import { type JsonObject, validateJson } from '../../../plugins/sdk/index.ts';
import { fileIdsIn } from './files.ts';
import { multipartBody, newBoundary } from './multipart.ts';
import { RESERVED_HEADERS } from './operations.ts';
import { encodeRfc3986, type ParameterStyle, serializeParameter } from './style.ts';
import { type ActionOperation, type BuiltRequest, isRecord, type UploadFile } from './types.ts';

/**
 * Turns a model's tool arguments `{path?, query?, header?, body?}` into an HTTP request for `op`. The arguments are
 * checked against `op.parameters` with @cfworker/json-schema (no `eval`). Auth is not added here: ca-core adds the
 * team's secrets after this, so nothing the model writes can stand in for them.
 */

/**
 * The longest URL built: 8 KB is the common server limit for a request line (nginx `large_client_header_buffers`
 * 8k, Apache `LimitRequestLine` 8190); longer ones fail there with 414, better refused here with a reason.
 */
export const MAX_URL_CHARS = 8192;
/** One header value, for the same servers' per-field limit (8 KB). */
export const MAX_HEADER_CHARS = 8192;

export { encodeRfc3986 };

type Result = { ok: true; request: BuiltRequest } | { ok: false; error: string };

/**
 * `files`: the files the arguments name (fileIdsIn), read by the caller from the conversation; a named file missing
 * from it is refused here, so a request never goes out without the file the model meant.
 */
export function buildRequest(
  op: ActionOperation,
  baseUrl: string,
  args: unknown,
  files: ReadonlyMap<string, UploadFile> = new Map(),
): Result {
  const input = args === undefined || args === null ? {} : args;
  if (!isRecord(input)) return { ok: false, error: 'the arguments must be an object {path, query, header, body}' };

  // Credentials and framing headers are refused by name before anything else, whatever the spec declares.
  if (isRecord(input.header)) {
    for (const name of Object.keys(input.header)) {
      if (RESERVED_HEADERS.has(name.toLowerCase())) {
        return { ok: false, error: `header "${name}" cannot be set by the model` };
      }
    }
  }
  const missing = missingRequired(op, input);
  if (missing) return { ok: false, error: missing };
  const checked = validateJson(op.parameters as JsonObject, input, 5);
  if (!checked.valid) return { ok: false, error: `invalid arguments: ${checked.errors.join('; ')}` };

  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return { ok: false, error: `the base URL "${baseUrl}" is not an absolute URL` };
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    return { ok: false, error: `the base URL must be http or https, not ${base.protocol}` };
  }

  const pathArgs = isRecord(input.path) ? input.path : {};
  let unfilled: string | null = null;
  let styleError: string | null = null;
  const path = op.path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    const value = pathArgs[name];
    if (value === undefined || value === null) {
      unfilled ??= name;
      return '';
    }
    const styled = op.styles?.[`path:${name}`];
    if (styled) {
      const out = serializeParameter(name, value, styled.style as ParameterStyle, styled.explode);
      if (out.ok) return out.text;
      styleError ??= `path parameter "${name}": ${out.error}`;
      return '';
    }
    return encodeRfc3986(Array.isArray(value) ? value.map(String).join(',') : String(value));
  });
  if (unfilled !== null) return { ok: false, error: `missing required path parameter "${unfilled}"` };
  if (styleError !== null) return { ok: false, error: styleError };

  const queryArgs = isRecord(input.query) ? input.query : {};
  const plain: Record<string, unknown> = {};
  const styledParts: string[] = [];
  for (const [name, value] of Object.entries(queryArgs)) {
    const styled = op.styles?.[`query:${name}`];
    if (!styled) {
      plain[name] = value;
      continue;
    }
    const out = serializeParameter(name, value, styled.style as ParameterStyle, styled.explode);
    if (!out.ok) return { ok: false, error: `query parameter "${name}": ${out.error}` };
    if (out.text !== '') styledParts.push(out.text);
  }
  const query = [queryString(plain, encodeRfc3986), ...styledParts].filter((part) => part !== '').join('&');
  const prefix = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  const baseQuery = base.search.replace(/^\?/, '');
  const search = [baseQuery, query].filter((part) => part !== '').join('&');
  const url = `${prefix}${path}${search === '' ? '' : `?${search}`}`;
  if (url.length > MAX_URL_CHARS) return { ok: false, error: `the URL is longer than ${MAX_URL_CHARS} characters` };

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(isRecord(input.header) ? input.header : {})) {
    if (value === undefined || value === null) continue;
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    // CR/LF would start a new header (response splitting); NUL is refused by fetch itself.
    if (/[\r\n\0]/.test(text)) return { ok: false, error: `header "${name}" contains a line break` };
    if (text.length > MAX_HEADER_CHARS) {
      return { ok: false, error: `header "${name}" is longer than ${MAX_HEADER_CHARS} characters` };
    }
    headers[name.toLowerCase()] = text;
  }

  const missingFile = fileIdsIn(op, input).find((fileId) => !files.has(fileId));
  if (missingFile) return { ok: false, error: `file ${missingFile} is not a file of this conversation` };
  const request: BuiltRequest = { method: op.method.toUpperCase(), url, headers };
  if (input.body !== undefined && op.bodyMediaType === 'binary') {
    const [fileId] = fileIdsIn(op, input);
    const file = fileId === undefined ? undefined : files.get(fileId);
    if (!file) return { ok: false, error: 'the body must be a file reference {"fileId": "file_…"}' };
    const type = rawContentType(op.rawMediaTypes ?? [], file.mimeType);
    if (!type) {
      return {
        ok: false,
        error: `file ${fileId} is ${file.mimeType}; this operation takes ${(op.rawMediaTypes ?? []).join(', ')}`,
      };
    }
    headers['content-type'] = type;
    request.body = file.bytes;
  } else if (input.body !== undefined && op.bodyMediaType !== null) {
    headers['content-type'] = op.bodyMediaType;
    if (op.bodyMediaType === 'application/json') request.body = JSON.stringify(input.body);
    else if (!isRecord(input.body)) return { ok: false, error: 'the form body must be an object of fields' };
    else if (op.bodyMediaType === 'multipart/form-data') {
      const boundary = newBoundary();
      headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
      request.body = multipartBody(input.body, boundary, op.fileFields, files);
    } else request.body = queryString(input.body, encodeForm);
  }
  return { ok: true, request };
}

/**
 * The Content-Type a binary body is sent with: the file's own type when the operation declares it or a range that
 * holds it (`image/*`, or the any-type range), else application/octet-stream when declared (any bytes), else none: the server
 * said which types it takes, and sending a PDF as `image/png` would only fail there less clearly.
 */
function rawContentType(declared: readonly string[], mimeType: string): string | null {
  const type = mimeType.toLowerCase();
  const matches = declared.some((range) => {
    if (range === type || range === '*/*') return true;
    return range.endsWith('/*') && type.startsWith(range.slice(0, -1));
  });
  if (matches) return type;
  return declared.includes('application/octet-stream') ? 'application/octet-stream' : null;
}

/** The first required group or parameter the arguments lack, named, so the model can retry with it. */
function missingRequired(op: ActionOperation, input: Record<string, unknown>): string | null {
  const properties = isRecord(op.parameters.properties) ? op.parameters.properties : {};
  for (const place of ['path', 'query', 'header'] as const) {
    const group = properties[place];
    if (!isRecord(group) || !Array.isArray(group.required)) continue;
    const given = isRecord(input[place]) ? (input[place] as Record<string, unknown>) : {};
    for (const name of group.required) {
      if (typeof name === 'string' && (given[name] === undefined || given[name] === null)) {
        return `missing required ${place} parameter "${name}"`;
      }
    }
  }
  const required = Array.isArray(op.parameters.required) ? op.parameters.required : [];
  if (required.includes('body') && input.body === undefined) return 'missing required request body';
  return null;
}

/** application/x-www-form-urlencoded (the WHATWG URL standard's serializer: " " → "+"). */
function encodeForm(text: string): string {
  return new URLSearchParams([['', text]]).toString().slice(1);
}

/**
 * Query (and form) serialisation with OpenAPI's defaults, style `form` and `explode: true`: an array repeats its
 * name (`tag=a&tag=b`), an object spreads its fields (`lat=1&lng=2`); null and undefined are left out.
 */
function queryString(values: Record<string, unknown>, encode: (text: string) => string): string {
  const parts: string[] = [];
  const add = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    parts.push(`${encode(name)}=${encode(text)}`);
  };
  for (const [name, value] of Object.entries(values)) {
    if (Array.isArray(value)) for (const item of value) add(name, item);
    else if (isRecord(value)) for (const [key, item] of Object.entries(value)) add(key, item);
    else add(name, value);
  }
  return parts.join('&');
}
