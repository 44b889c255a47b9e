import { z } from 'zod';
import { titled } from '../../sdk/titles.ts';

const TEMPLATE_CHARS = 8_000;
const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;

/** The node's own settings: every text field is a Jinja template over input, state and `secrets`. */
export const httpRequestSettings = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
  url: z.string().min(1).max(2_000).describe('URL template, e.g. https://api.example.com/orders/{{ input }}'),
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/), z.string().max(TEMPLATE_CHARS))
    .default({})
    .describe('Header templates, e.g. { "Authorization": "Bearer {{ secrets.token }}" }'),
  body: z.string().max(TEMPLATE_CHARS).optional().describe('Body template (sent as is; set Content-Type yourself)'),
  resultKey: z.string().regex(KEY).default('http_response').describe('Run key the response is stored under'),
  responseHeaders: z
    .array(
      z
        .string()
        .toLowerCase()
        .regex(/^[a-z0-9-]{1,100}$/),
    )
    .max(20)
    .default(['content-type'])
    .describe('Response headers kept in the result'),
});

export type HttpRequestSettings = z.infer<typeof httpRequestSettings>;

/** Team-wide settings of the plugin (/api/v1/plugin-configs): named secrets the templates read as `secrets.<name>`. */
export const httpRequestTeamSettings = titled(
  z.object({
    secrets: z
      .record(z.string().regex(KEY), z.string().max(4_000))
      .default({})
      .describe('Named secrets, e.g. { "token": "…" }: templates use {{ secrets.token }}; never returned by the API'),
  }),
  { secrets: 'Secrets' },
);
