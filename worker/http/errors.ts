import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/** The one error shape every client sees: `{"error": {"code", "message", "details"?}}`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** One entry per offending field: where it is (`body.chatbotId`) and what is wrong with it. */
export function validationDetails(error: z.ZodError, target: string) {
  return error.issues.map((issue) => ({
    field: [target === 'json' ? 'body' : target, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

export function validationError(error: z.ZodError, target: string): ApiError {
  const details = validationDetails(error, target);
  const fields = [...new Set(details.map((detail) => detail.field))].join(', ');
  return new ApiError(400, 'invalid_request', `Invalid ${fields}`, details);
}

const statusCodes: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** Hono's onError: known errors keep their status; anything else is a JSON 500 that reveals nothing internal. */
export function handleError(error: Error, c: Context): Response {
  if (error instanceof ApiError) return c.json(errorBody(error.code, error.message, error.details), error.status);
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const code = statusCodes[status] ?? 'http_error';
    const message = /malformed json/i.test(error.message) ? 'Request body is not valid JSON' : error.message;
    return c.json(errorBody(code, message || code), status);
  }
  const requestId = c.req.header('cf-ray') ?? crypto.randomUUID();
  // Log the failure, never the request: bodies and headers may carry secrets.
  console.error(
    JSON.stringify({ level: 'error', requestId, path: c.req.path, error: error.message, stack: error.stack }),
  );
  return c.json(errorBody('internal', 'Internal error', { requestId }), 500);
}
