/**
 * The spec interface of custom actions (issue 18 §1): an OpenAPI 3.0/3.1 document parsed and validated without
 * `eval`, its operations turned into tools, and a tool call turned into an HTTP request. Pure: no bindings, no I/O.
 * The contract is written in /work/wt/prompts/ca-shared.md; ca-core codes against exactly these shapes.
 */

export type JsonSchema = { [key: string]: unknown };

/** A problem in a document. `path` names where, like "paths./pets/{id}.get.parameters[0]" ("" is the document). */
export interface SpecIssue {
  path: string;
  message: string;
}

/**
 * A validated document. `document` is the parsed JSON value with its `$ref`s left in place (every one of them local
 * and resolvable, checked by parseSpec); listOperations resolves them into self-contained tool schemas.
 */
export interface ParsedSpec {
  openapi: string;
  title: string;
  version: string;
  /** `servers[].url` with server variables replaced by their defaults; may be relative ("/v1"). */
  servers: string[];
  document: Record<string, unknown>;
}

export type ParameterPlace = 'path' | 'query' | 'header' | 'body';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface ActionOperation {
  /** From the spec, or derived "<method>_<path>" (sanitised like a tool name) when missing. */
  operationId: string;
  /** ^[a-zA-Z0-9_-]{1,64}$ (the OpenAI/Anthropic function-name rule), unique within the spec. */
  toolName: string;
  method: HttpMethod;
  /** The path template, "/pets/{petId}". */
  path: string;
  /** summary || description, at most SUMMARY_MAX_CHARS. */
  summary: string;
  /** `{type:'object', properties:{path?, query?, header?, body?}, required, additionalProperties:false}`, no `$ref`. */
  parameters: JsonSchema;
  /** `binary`: the body is one file sent as it is (application/octet-stream, image/*, …: `rawMediaTypes`). */
  bodyMediaType: 'application/json' | 'application/x-www-form-urlencoded' | 'multipart/form-data' | 'binary' | null;
  /**
   * Multipart fields that are files (`format: binary`, 3.1 `contentMediaType`): the model fills each with a file
   * reference `{fileId}` (or an array of them), and the caller sends the file's bytes as the part (FILE_REF_SCHEMA).
   */
  fileFields?: string[];
  /** The media types a `binary` body is declared with, in document order (`application/octet-stream`, `image/*`). */
  rawMediaTypes?: string[];
  /**
   * Non-default serialisations, keyed "path:<name>" or "query:<name>" (OAS 3.1 §4.8.12.4); absent ones use the
   * defaults (path `simple`, query `form`, explode only for `form`).
   */
  styles?: Record<string, { style: string; explode: boolean }>;
  /** The operation's effective security requirements (its own `security`, else the document's). */
  security: Array<Record<string, string[]>>;
}

export interface BuiltRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Text, or bytes when a file is sent (a multipart form with a file part, a binary body). */
  body?: string | Uint8Array<ArrayBuffer>;
}

/** A file the model named by id, read by the caller (worker/custom-actions/upload-files.ts) before the request is built. */
export interface UploadFile {
  bytes: Uint8Array<ArrayBuffer>;
  name: string;
  mimeType: string;
}

export type SecuritySchemeType = 'apiKey' | 'http' | 'oauth2' | 'openIdConnect';

export interface SecuritySchemeInfo {
  type: SecuritySchemeType;
  in?: 'header' | 'query' | 'cookie';
  name?: string;
  scheme?: string;
  tokenUrl?: string;
}

/** A plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
