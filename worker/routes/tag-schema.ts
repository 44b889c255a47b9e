import { z } from '@hono/zod-openapi';

/** A conversation tag: 1–50 letters, digits, spaces and `- _ : .`, without surrounding spaces. */
export const tagSchema = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[\p{L}\p{N} _:.-]+$/u, 'only letters, digits, spaces and - _ : . are allowed')
  .openapi({ example: 'lang:fr' });

export const MAX_TAGS = 20;
