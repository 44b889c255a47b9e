import type { MiddlewareHandler } from 'hono';
import type { ApiKeyScope } from '../db/schema/index.ts';

/**
 * createRouter keeps each route's middleware under this key of its OpenAPI route config (the library drops
 * `middleware` from what it registers), so the API description can be derived from what the route really runs.
 */
export const ROUTE_MIDDLEWARE: unique symbol = Symbol('routeMiddleware');

export type RouteMiddleware = readonly MiddlewareHandler[] | MiddlewareHandler | undefined;

/**
 * The scope a route's middleware demands, or null when none authenticates an API key. requireApiKey tags the
 * middleware it returns with its scope, so the API description is read from what the route really runs.
 */
export async function requiredScope(middleware: RouteMiddleware): Promise<ApiKeyScope | null> {
  const handlers = middleware === undefined ? [] : Array.isArray(middleware) ? middleware : [middleware];
  for (const handler of handlers as (MiddlewareHandler & { apiKeyScope?: ApiKeyScope })[]) {
    if (handler.apiKeyScope) return handler.apiKeyScope;
  }
  return null;
}
