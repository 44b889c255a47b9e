import { z } from '@hono/zod-openapi';

/** Shapes shared by several routes, registered once as OpenAPI components. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_request' }),
      message: z.string().openapi({ example: 'Invalid body.text' }),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export const errorResponses = {
  400: { description: 'Invalid request', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'Missing or invalid API key', content: { 'application/json': { schema: ErrorSchema } } },
  403: {
    description: 'The API key lacks the required scope',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  404: { description: 'Not found (or not in this team)', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

export const idParam = (name: string, example: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: 'path' }, example });

export const cursorQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25).openapi({ example: 25 }),
  cursor: z.string().max(200).optional().openapi({ description: 'nextCursor from the previous page' }),
});

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
