import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from './errors.ts';

// The media types a JSON body may declare: application/json and any +json suffix (RFC 6839), with parameters.
const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;.*)?$/i;

const bodyError = (message: string) => new ApiError(400, 'invalid_request', message, [{ field: 'body', message }]);

/**
 * The request's JSON body, or a 4xx naming what is wrong: 415 for a body of another media type (or none declared),
 * 400 naming `body` when it is missing, empty or not JSON. `optional` lets a route take no body at all. The text is
 * read once through Hono's body cache, so the route's zod validator parses the same body afterwards; its size was
 * already bounded by the app's body limit (worker/http/app.ts).
 */
export async function readJsonBody(c: Context, optional = false): Promise<unknown> {
  const contentType = c.req.header('content-type')?.trim() ?? '';
  if (contentType !== '' && !JSON_TYPE.test(contentType)) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `Content-Type ${contentType} is not accepted; use application/json`,
    );
  }
  const text = c.req.raw.body ? await c.req.text() : '';
  if (contentType === '') {
    if (text.length > 0) {
      throw new ApiError(415, 'unsupported_media_type', 'Send the body with Content-Type: application/json');
    }
    if (optional) return undefined;
    throw bodyError('A JSON body is required (Content-Type: application/json)');
  }
  if (text.trim() === '') throw bodyError('The request body is empty; a JSON value is required');
  try {
    return JSON.parse(text);
  } catch {
    throw bodyError('Request body is not valid JSON');
  }
}

/** Route middleware for routes that declare a JSON body: refuses what readJsonBody refuses before validation. */
export const jsonBodyGate =
  (optional: boolean): MiddlewareHandler =>
  async (c, next) => {
    await readJsonBody(c, optional);
    await next();
  };
