import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/app.ts';

/** Serves the OpenAPI document of every route registered on `app`, and a readable reference page. */
export function registerApiDocs(_app: OpenAPIHono<AppEnv>): void {}
