import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError } from '../http/errors.ts';

/** OpenAI's error shape: the official SDKs read `message`, `type`, `param` and `code` from it. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** An error of the compatible API; `param` names the request field at fault, in OpenAI's notation. */
export class OpenAIError extends ApiError {
  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(status, code, message);
  }
}

// Unlike OpenAI the message does not quote the model: a 404 body never repeats an id, even the caller's own.
export const modelNotFound = () =>
  new OpenAIError(404, 'model_not_found', 'The model does not exist or you do not have access to it.', 'model');

// A bad key gets the code OpenAI clients know; 403 keeps Parley's `forbidden` (OpenAI's own 403 has no fixed code).
const codeAliases: Partial<Record<string, string>> = { unauthorized: 'invalid_api_key' };

function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

export function openaiErrorBody(status: number, code: string, message: string, param: string | null): OpenAIErrorBody {
  return { error: { message, type: errorType(status), param, code: codeAliases[code] ?? code } };
}

/** `body.messages.0.content` (Parley's validation field) → `messages[0].content` (OpenAI's `param`). */
export function paramName(field: string): string {
  const [target, ...path] = field.split('.');
  const parts = target === 'body' ? path : [target ?? '', ...path];
  return parts.reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
}

/** Parley's validation details (`[{field, message}]`) as OpenAI's `param` (the first field) and message. */
function fromDetails(details: unknown): { param: string; message: string } | null {
  if (!Array.isArray(details)) return null;
  const issues = details.flatMap((detail: unknown) =>
    typeof detail === 'object' && detail !== null && 'field' in detail && typeof detail.field === 'string'
      ? [{ param: paramName(detail.field), message: 'message' in detail ? String(detail.message) : 'invalid' }]
      : [],
  );
  const first = issues[0];
  if (!first) return null;
  // The body as a whole (missing, empty, not JSON): OpenAI names no param then, and Parley's message says it all.
  if (first.param === '') return null;
  return {
    param: first.param,
    message: issues.map((issue) => `Invalid '${issue.param}': ${issue.message}`).join('; '),
  };
}

/** The router's onError: every failure of the compatible API answers in OpenAI's error format. */
export function handleOpenAIError(error: Error, c: Context): Response {
  if (error instanceof OpenAIError) {
    return c.json(openaiErrorBody(error.status, error.code, error.message, error.param), error.status);
  }
  if (error instanceof ApiError) {
    const invalid = fromDetails(error.details);
    const body = openaiErrorBody(error.status, error.code, invalid?.message ?? error.message, invalid?.param ?? null);
    return c.json(body, error.status);
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const message = /malformed json/i.test(error.message) ? 'We could not parse the JSON body of your request.' : '';
    return c.json(openaiErrorBody(status, 'invalid_request', message || error.message || 'Bad request', null), status);
  }
  const requestId = c.req.header('cf-ray') ?? crypto.randomUUID();
  // Log the failure, never the request: bodies and headers may carry secrets.
  console.error(
    JSON.stringify({ level: 'error', requestId, path: c.req.path, error: error.message, stack: error.stack }),
  );
  return c.json(openaiErrorBody(500, 'internal', `Internal error (request ${requestId})`, null), 500);
}
