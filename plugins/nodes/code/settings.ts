import { z } from 'zod';
import { MAX_SANDBOX_LIMITS } from '../../sdk/sandbox/limits.ts';

/** The admin's code is stored in the definition and shipped with every run: 20,000 characters keeps both small. */
export const MAX_CODE_CHARS = 20_000;
const PORT = /^[A-Za-z0-9_-]{1,40}$/;
// `*.example.com` or `api.example.com`: a host name, never a URL, an IP literal or a bare wildcard.
const HOST_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
// `function main(`, `async function main(`, `const main = …`, `let main = …`, `var main = …`.
const DEFINES_MAIN = /\b(?:async\s+)?function\s*\*?\s*main\s*\(|\b(?:const|let|var)\s+main\s*=/;

export const codeSettings = z.object({
  code: z
    .string()
    .min(1)
    .max(MAX_CODE_CHARS)
    .refine((code) => DEFINES_MAIN.test(code), { message: 'the code must define a function main(input, ctx)' })
    .describe('JavaScript that defines main(input, ctx); its return value is the node output'),
  routes: z
    .array(z.string().regex(PORT))
    .min(1)
    .max(20)
    .refine((routes) => new Set(routes).size === routes.length, { message: 'route names must be unique' })
    .optional()
    .describe('Declare routes to make this node a router: the code must then call route(name) once'),
  http: z
    .object({
      allowedHosts: z
        .array(z.string().toLowerCase().regex(HOST_PATTERN, 'a host name such as api.example.com or *.example.com'))
        .min(1)
        .max(20),
      maxRequests: z.number().int().min(1).max(10).default(3),
    })
    .optional()
    .describe('Hosts the code may call with http.get / http.post; without it the code has no network at all'),
  limits: z
    .object({
      instructions: z.number().int().min(100).max(MAX_SANDBOX_LIMITS.instructions).optional(),
      memoryBytes: z
        .number()
        .int()
        .min(1024 * 1024)
        .max(MAX_SANDBOX_LIMITS.memoryBytes)
        .optional(),
      outputBytes: z.number().int().min(1).max(MAX_SANDBOX_LIMITS.outputBytes).optional(),
    })
    .optional()
    .describe('Counted-work budget (≈ 23 µs each), heap and result size; defaults 10,000 / 16 MiB / 64 KiB'),
  returnLogs: z
    .boolean()
    .default(false)
    .describe('Output { value, logs } instead of the value, to see console.log lines in the trace'),
});

export type CodeSettings = z.infer<typeof codeSettings>;
