import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { Env } from '../env.ts';
import type { AuthVariables } from './auth.ts';
import { ApiError, errorBody, handleError, validationError } from './errors.ts';

export type AppEnv = { Bindings: Env; Variables: AuthVariables };

// Largest JSON body any route accepts. Messages are capped far lower by their schemas; files go to R2 uploads.
const MAX_BODY_BYTES = 1024 * 1024;

/** A router with Parley's validation errors and error handler; every route module builds on one. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
}

export function createApp() {
  const app = createRouter();
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `Request body exceeds ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  app.onError(handleError);
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  return app;
}
