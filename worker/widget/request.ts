import type { Context } from 'hono';
import type { z } from 'zod';
import { validationError } from '../http/errors.ts';
import { readJsonBody } from '../http/json-body.ts';

/** The JSON body validated by `schema`, with the same 400 shape as the zod-openapi routes. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const body = await readJsonBody(c);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, 'json');
  return parsed.data;
}

/** The client's IP as Cloudflare reports it; `local` under tests and wrangler dev without the header. */
export const clientIp = (c: Context) => c.req.header('cf-connecting-ip') ?? 'local';
