import { OpenAPIHono } from '@hono/zod-openapi';
import packageJson from '../../package.json' with { type: 'json' };
import type { ApiKeyScope } from '../db/schema/index.ts';
import type { AppEnv } from '../http/app.ts';
import { ROUTE_MIDDLEWARE, type RouteMiddleware, requiredScope } from '../http/route-scopes.ts';
import { ErrorSchema } from '../http/schemas.ts';
import { opsSecuritySchemes } from '../ops/api-schemas.ts';
import { RejectedFrameSchema, WidgetEventSchema, widgetSecuritySchemes } from '../widget/api-schemas.ts';
import { renderApiReference } from './page.ts';

type OpenApiDocument = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>;
type Operation = Record<string, unknown> & { responses?: Record<string, unknown>; tags?: string[] };

export const SECURITY_SCHEME = 'apiKey';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const TAG_DESCRIPTIONS: Record<string, string> = {
  Chatbots: 'Chatbots of the API key’s team and their published versions.',
  Conversations: 'Conversations with a chatbot: messages, streaming replies, live events.',
  Pipelines: 'Pipeline node kinds: what a schemaVersion 2 chatbot definition may contain (docs/pipelines.md).',
  Plugins: 'Installed plugins (providers, channels, tools, pipeline nodes) and their settings.',
  Operations:
    'The operator API (/api/v1/ops), for whoever runs the deployment, not a team: behind the OPS_TOKEN secret, ' +
    'absent (404) when it is unset. Moving teams to their data-plane shards (docs/scaling.md).',
  Providers: 'LLM providers and their models.',
  Tools: 'Tool sources a chatbot can name in `tools`: MCP servers and their tools (docs/mcp.md).',
  Widget:
    'The chat widget’s API (/api/widget/v1), called from a page: a public widget key and the page origin open a ' +
    'session, whose widget token (not an API key) then serves its one conversation. CORS preflights answer for ' +
    'the origins of active widget keys.',
};

const rateLimitedResponse = {
  description: 'Rate limit exceeded; retry after `Retry-After` seconds',
  headers: {
    'Retry-After': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
    RateLimit: { description: 'Remaining quota: `"<policy>";r=<remaining>;t=<seconds>`', schema: { type: 'string' } },
    'RateLimit-Policy': { description: 'Quota: `"<policy>";q=<requests>;w=<seconds>`', schema: { type: 'string' } },
  },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

/** `METHOD path` → the scope its middleware requires; computed once, since routes never change at run time. */
let scopesPromise: Promise<Map<string, ApiKeyScope>> | undefined;

function routeScopes(app: OpenAPIHono<AppEnv>): Promise<Map<string, ApiKeyScope>> {
  scopesPromise ??= (async () => {
    const scopes = new Map<string, ApiKeyScope>();
    for (const definition of app.openAPIRegistry.definitions) {
      if (definition.type !== 'route') continue;
      const route = definition.route as typeof definition.route & { [ROUTE_MIDDLEWARE]?: RouteMiddleware };
      const scope = await requiredScope(route[ROUTE_MIDDLEWARE]);
      if (scope) scopes.set(`${route.method} ${route.path}`, scope);
    }
    return scopes;
  })();
  return scopesPromise;
}

const describe = (app: OpenAPIHono<AppEnv>, info: OpenApiDocument['info'], origin: string) =>
  app.getOpenAPI31Document({ openapi: '3.1.0', info, servers: [{ url: origin }] });

type Definition = OpenAPIHono<AppEnv>['openAPIRegistry']['definitions'][number];

/** A copy of `app`'s registry holding only the definitions `keep` accepts (schemas come along with their routes). */
function describable(app: OpenAPIHono<AppEnv>, keep: (definition: Definition) => boolean): OpenAPIHono<AppEnv> {
  const copy = new OpenAPIHono<AppEnv>();
  for (const definition of app.openAPIRegistry.definitions) {
    if (!keep(definition)) continue;
    if (definition.type === 'route') copy.openAPIRegistry.registerPath(definition.route);
    if (definition.type === 'component') {
      copy.openAPIRegistry.registerComponent(definition.componentType, definition.name, definition.component);
    }
  }
  return copy;
}

/**
 * Describes every route; one whose zod schema has no OpenAPI equivalent (z.undefined, z.custom, …) makes the generator
 * throw without naming it, so the routes are then tried one by one and the failing ones left out and listed under
 * `x-undescribed-operations` (the docs test fails on it), rather than taking the whole reference down.
 */
function describeAll(app: OpenAPIHono<AppEnv>, info: OpenApiDocument['info'], origin: string): OpenApiDocument {
  try {
    return describe(app, info, origin);
  } catch {
    const failing = new Map<Definition, string>();
    for (const definition of app.openAPIRegistry.definitions) {
      if (definition.type !== 'route') continue;
      try {
        describe(
          describable(app, (d) => d === definition),
          info,
          origin,
        );
      } catch (error) {
        const reason = error instanceof Error ? error.message : JSON.stringify(error);
        failing.set(definition, `${definition.route.method.toUpperCase()} ${definition.route.path}: ${reason}`);
      }
    }
    console.error(JSON.stringify({ level: 'error', message: 'undescribable routes', routes: [...failing.values()] }));
    const document = describe(
      describable(app, (d) => !failing.has(d)),
      info,
      origin,
    );
    return { ...document, 'x-undescribed-operations': [...failing.values()] };
  }
}

/** The OpenAPI 3.1 description of every route on `app`, with security derived from each route's middleware. */
export async function openApiDocument(app: OpenAPIHono<AppEnv>, origin: string): Promise<OpenApiDocument> {
  const scopes = await routeScopes(app);
  const info = {
    title: 'Parley',
    version: packageJson.version,
    description:
      'The Parley REST API. Authenticate with `Authorization: Bearer prl_…`; each operation names the scope ' +
      'its key needs (`admin` holds every scope). Errors are `{"error": {"code", "message", "details"}}`. ' +
      'Requests are rate limited per API key (per IP without one); every response carries `RateLimit` and ' +
      '`RateLimit-Policy` headers.',
    license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
  };
  const document = describeAll(app, info, origin);
  const tags = new Set<string>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      for (const tag of operation.tags ?? []) tags.add(tag);
      const scope = scopes.get(`${method} ${path}`);
      if (scope) {
        operation.security = [{ [SECURITY_SCHEME]: [scope] }];
        operation['x-scope'] = scope;
      }
      if (path.startsWith('/api/v1/') || path.startsWith('/v1/')) {
        operation.responses = { ...operation.responses, 429: rateLimitedResponse };
      }
    }
  }
  document.tags = [...tags].map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name }));
  return document;
}

/** Serves the OpenAPI document of every route registered on `app`, and a readable reference page. */
export function registerApiDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.register('Error', ErrorSchema);
  app.openAPIRegistry.registerComponent('securitySchemes', SECURITY_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API key (`prl_…`) created in the dashboard. Scopes: read, chat, admin (all). A revoked key is refused at ' +
      'once by the instance that revoked it and everywhere within 60 seconds (each Worker instance keeps a verified ' +
      'key for at most a minute).',
  });
  for (const [name, scheme] of Object.entries({ ...widgetSecuritySchemes, ...opsSecuritySchemes })) {
    app.openAPIRegistry.registerComponent('securitySchemes', name, scheme);
  }
  // The frames of the widget's WebSocket and the `data:` of its event stream (docs/protocol.md).
  app.openAPIRegistry.register('WidgetEvent', WidgetEventSchema);
  app.openAPIRegistry.register('RejectedFrame', RejectedFrameSchema);
  app.get('/api/v1/openapi.json', async (c) => c.json(await openApiDocument(app, new URL(c.req.url).origin)));
  app.get('/api/docs', async (c) => {
    const document = await openApiDocument(app, new URL(c.req.url).origin);
    return c.html(renderApiReference(document), 200, {
      // Self-contained: no script at all, styles only inline.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    });
  });
}
