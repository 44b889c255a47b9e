import { z } from '@hono/zod-openapi';

/**
 * Pasted spec text: the API takes JSON bodies of at most 1 MB (worker/http/app.ts), so this is the text's real cap;
 * a spec fetched from a URL may be up to MAX_SPEC_URL_BYTES (./spec-source.ts).
 */
export const MAX_SPEC_TEXT_CHARS = 1_000_000;
/**
 * Operations a chatbot may call from one action. OpenAI accepts at most 128 tools in one request
 * (platform.openai.com/docs/api-reference/chat/create#tools); one action should leave room for the rest.
 */
export const MAX_SELECTED_OPERATIONS = 64;

const EXAMPLE_SPEC = [
  'openapi: 3.0.3',
  'info: {title: Pets, version: "1.0"}',
  'servers: [{url: "https://pets.example.com/v1"}]',
  'paths:',
  '  /pets/{petId}:',
  '    get:',
  '      operationId: getPet',
  '      parameters: [{name: petId, in: path, required: true, schema: {type: string}}]',
  '      responses: {"200": {description: A pet}}',
].join('\n');

const httpUrl = z
  .string()
  .max(2_000)
  .url()
  .refine((value) => /^https?:$/.test(new URL(value).protocol), 'only http and https URLs')
  .openapi({ example: 'https://pets.example.com/v1' });

export const SpecInput = z
  .discriminatedUnion('source', [
    z.strictObject({ source: z.literal('text'), text: z.string().min(1).max(MAX_SPEC_TEXT_CHARS) }),
    z.strictObject({ source: z.literal('url'), url: httpUrl }),
  ])
  .describe('The OpenAPI 3.0/3.1 document, JSON or YAML: pasted (an upload is read into `text`) or fetched from a URL')
  .openapi('CustomActionSpecInput', { example: { source: 'text', text: EXAMPLE_SPEC } });

const secret = z.string().min(1).max(4_000);
const headerOrParamName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'not a valid header or parameter name')
  .refine((name) => !['host', 'content-length', 'content-type'].includes(name.toLowerCase()), {
    message: 'this header is set by the client',
  });

export const AuthInput = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({
      kind: z.literal('api_key'),
      in: z.enum(['header', 'query']),
      name: headerOrParamName,
      value: secret,
    }),
    z.strictObject({ kind: z.literal('bearer'), token: secret }),
    z.strictObject({ kind: z.literal('basic'), username: z.string().min(1).max(200), password: secret }),
    z.strictObject({
      kind: z.literal('oauth2_client_credentials'),
      tokenUrl: httpUrl,
      clientId: z.string().min(1).max(500),
      clientSecret: secret,
      scopes: z.array(z.string().min(1).max(200)).max(50).optional(),
    }),
  ])
  .describe('How calls authenticate: secret values are sealed at rest and never returned')
  .openapi('CustomActionAuthInput', { example: { kind: 'none' } });

const AuthView = z
  .object({
    kind: z.enum(['none', 'api_key', 'bearer', 'basic', 'oauth2_client_credentials']),
    in: z.enum(['header', 'query']).optional(),
    name: z.string().optional(),
    username: z.string().optional(),
    tokenUrl: z.string().optional(),
    clientId: z.string().optional(),
    scopes: z.array(z.string()).optional(),
    configured: z.literal(true),
  })
  .describe('The auth without its secret values')
  .openapi('CustomActionAuth');

const OperationSummary = z.object({
  operationId: z.string(),
  toolName: z.string(),
  method: z.string(),
  path: z.string(),
  summary: z.string(),
});

const Health = z
  .object({
    url: z.string(),
    status: z.enum(['ok', 'failing', 'unknown']),
    checkedAt: z.string().nullable(),
    message: z.string().nullable(),
  })
  .nullable()
  .openapi('CustomActionHealth');

export const CustomAction = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    title: z.string(),
    version: z.string(),
    baseUrl: z.string(),
    operations: z.array(OperationSummary.extend({ selected: z.boolean() })),
    auth: AuthView,
    health: Health,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CustomAction');

const name = z.string().trim().min(1).max(100);
const description = z.string().max(1_000);
const operationIds = z.array(z.string().min(1).max(300)).max(MAX_SELECTED_OPERATIONS);

export const CreateAction = z
  .strictObject({
    name,
    description: description.default(''),
    spec: SpecInput,
    baseUrl: httpUrl.optional().describe("Where calls go; default: the spec's first absolute server URL"),
    selectedOperations: operationIds.describe('operationIds the chatbots may call'),
    auth: AuthInput.default({ kind: 'none' }),
    healthCheckUrl: httpUrl.nullable().optional().describe('Polled hourly with a GET; 2xx is healthy'),
  })
  .openapi('CreateCustomAction', {
    example: {
      name: 'Pets',
      description: '',
      spec: { source: 'text', text: EXAMPLE_SPEC },
      selectedOperations: ['getPet'],
      auth: { kind: 'none' },
    },
  });

export const UpdateAction = z
  .strictObject({
    name: name.optional(),
    description: description.optional(),
    spec: SpecInput.optional(),
    baseUrl: httpUrl.optional(),
    selectedOperations: operationIds.optional(),
    auth: AuthInput.optional().describe('Replaced whole'),
    healthCheckUrl: httpUrl.nullable().optional(),
  })
  .openapi('UpdateCustomAction');

export const ParseRequest = z.strictObject({ spec: SpecInput }).openapi('ParseCustomActionSpec');

export const ParseResult = z
  .object({
    title: z.string(),
    version: z.string(),
    servers: z.array(z.string()),
    operations: z.array(OperationSummary),
    securitySchemes: z.record(z.string(), z.record(z.string(), z.unknown())),
  })
  .openapi('CustomActionSpecSummary');

export type CreateActionInput = z.infer<typeof CreateAction>;
export type UpdateActionInput = z.infer<typeof UpdateAction>;
export type SpecSource = z.infer<typeof SpecInput>;
export type CustomActionView = z.infer<typeof CustomAction>;
