import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { database } from '../db/client.ts';
import type { Env } from '../env.ts';
import { createRouter } from '../http/app.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { errorResponses, idParam } from '../http/schemas.ts';
import { type ActionAuth, authInfoOf, sealAuth } from './auth.ts';
import { checkHealth } from './health.ts';
import {
  CreateAction,
  type CreateActionInput,
  CustomAction,
  ParseRequest,
  ParseResult,
  UpdateAction,
  type UpdateActionInput,
} from './schemas.ts';
import type { ActionOperation } from './spec/types.ts';
import { type ResolvedSpec, resolveSpec } from './spec-source.ts';
import { createAction, deleteAction, getAction, listActions, updateAction, viewOf } from './store.ts';

const params = z.object({ id: idParam('id', 'act_…') });
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });

/** Each selected operationId must be one of the spec's; the 400 names the offending entry. */
function checkSelected(operations: readonly ActionOperation[], selected: readonly string[]): string[] {
  const known = new Set(operations.map((op) => op.operationId));
  const details = selected.flatMap((id, i) =>
    known.has(id) ? [] : [{ field: `body.selectedOperations.${i}`, message: `the spec has no operation "${id}"` }],
  );
  if (details.length)
    throw new ApiError(400, 'invalid_request', `Invalid ${details.map((d) => d.field).join(', ')}`, details);
  return [...new Set(selected)];
}

function baseUrlOf(resolved: ResolvedSpec, given: string | undefined): string {
  const url = given?.replace(/\/$/, '') ?? resolved.defaultBaseUrl;
  if (!url)
    throw new ApiError(
      400,
      'invalid_request',
      'Invalid body.baseUrl: the spec names no absolute server URL; give one',
      [{ field: 'body.baseUrl', message: 'required: the spec names no absolute server URL' }],
    );
  return url;
}

const summaryOf = (op: ActionOperation) => ({
  operationId: op.operationId,
  toolName: op.toolName,
  method: op.method,
  path: op.path,
  summary: op.summary,
});

async function create(env: Env, teamId: string, input: CreateActionInput) {
  const resolved = await resolveSpec(env, input.spec, 'body.spec');
  return createAction(env, database(env.DB), teamId, {
    name: input.name,
    description: input.description,
    specUrl: input.spec.source === 'url' ? input.spec.url : null,
    resolved,
    baseUrl: baseUrlOf(resolved, input.baseUrl),
    selectedOperations: checkSelected(resolved.operations, input.selectedOperations),
    auth: input.auth as ActionAuth,
    healthUrl: input.healthCheckUrl ?? null,
  });
}

/** Custom actions: OpenAPI operations a team's chatbots call as tools (docs/custom-actions.md). */
export const customActionRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/custom-actions',
      tags: ['Tools'],
      summary: "List the team's custom actions, newest first (at most 100; secrets never included)",
      middleware: [requireApiKey('read')] as const,
      responses: { 200: json('The actions', z.object({ data: z.array(CustomAction) })), ...errorResponses },
    }),
    async (c) => {
      const rows = await listActions(database(c.env.DB), c.var.auth.teamId);
      return c.json({ data: rows.map(viewOf) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/custom-actions',
      tags: ['Tools'],
      summary: 'Add a custom action from an OpenAPI 3.0/3.1 spec (pasted or by URL) with the operations to offer',
      description: 'A spec that does not parse or validate is a 400 whose `details` list each problem by its path.',
      middleware: [requireApiKey('admin')] as const,
      request: { body: body(CreateAction) },
      responses: { 201: json('Created', CustomAction), ...errorResponses },
    }),
    async (c) => {
      const row = await create(c.env, c.var.auth.teamId, c.req.valid('json') as CreateActionInput);
      return c.json(viewOf(row), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/custom-actions/parse',
      tags: ['Tools'],
      summary: 'Parse and validate a spec without saving it: its operations and security schemes, or each problem',
      middleware: [requireApiKey('admin')] as const,
      request: { body: body(ParseRequest) },
      responses: { 200: json('The spec', ParseResult), ...errorResponses },
    }),
    async (c) => {
      const { spec } = c.req.valid('json') as z.infer<typeof ParseRequest>;
      const resolved = await resolveSpec(c.env, spec, 'body.spec');
      return c.json(
        {
          title: resolved.spec.title,
          version: resolved.spec.version,
          servers: resolved.spec.servers,
          operations: resolved.operations.map(summaryOf),
          securitySchemes: resolved.securitySchemes,
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/custom-actions/{id}',
      tags: ['Tools'],
      summary: 'Get one custom action with all its operations (which are selected) and its health',
      middleware: [requireApiKey('read')] as const,
      request: { params },
      responses: { 200: json('The action', CustomAction), ...errorResponses },
    }),
    async (c) => {
      const row = await getAction(database(c.env.DB), c.var.auth.teamId, c.req.valid('param').id);
      if (!row) throw notFound('Custom action');
      return c.json(viewOf(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/custom-actions/{id}',
      tags: ['Tools'],
      summary: 'Change an action: name, spec, base URL, selected operations, auth (replaced whole) or health URL',
      description:
        'Published chatbot versions keep the operations frozen at publish; the auth applies to them at once.',
      middleware: [requireApiKey('admin')] as const,
      request: { params, body: body(UpdateAction) },
      responses: { 200: json('The action', CustomAction), ...errorResponses },
    }),
    async (c) => {
      const { teamId } = c.var.auth;
      const db = database(c.env.DB);
      const id = c.req.valid('param').id;
      const patch = c.req.valid('json') as UpdateActionInput;
      const row = await getAction(db, teamId, id);
      if (!row) throw notFound('Custom action');
      const resolved = patch.spec ? await resolveSpec(c.env, patch.spec, 'body.spec') : null;
      const operations = resolved?.operations ?? row.operations;
      // A new spec keeps the selection it still has, unless the patch gives a new one.
      const selected = patch.selectedOperations
        ? checkSelected(operations, patch.selectedOperations)
        : row.selectedOperations.filter((opId) => operations.some((op) => op.operationId === opId));
      const auth = patch.auth as ActionAuth | undefined;
      await updateAction(db, teamId, id, {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(resolved && {
          specUrl: patch.spec?.source === 'url' ? patch.spec.url : null,
          title: resolved.spec.title,
          version: resolved.spec.version,
          servers: resolved.spec.servers,
          operations: resolved.operations,
          securitySchemes: resolved.securitySchemes,
        }),
        ...((patch.baseUrl !== undefined || resolved) && {
          baseUrl: patch.baseUrl?.replace(/\/$/, '') ?? (resolved ? baseUrlOf(resolved, undefined) : row.baseUrl),
        }),
        selectedOperations: selected,
        ...(auth !== undefined && { authInfo: authInfoOf(auth), sealedAuth: await sealAuth(c.env, teamId, id, auth) }),
        ...(patch.healthCheckUrl !== undefined && {
          healthUrl: patch.healthCheckUrl,
          healthStatus: patch.healthCheckUrl ? 'unknown' : null,
          healthCheckedAt: null,
          healthMessage: null,
        }),
        updatedAt: Date.now(),
      });
      const fresh = await getAction(db, teamId, id);
      if (!fresh) throw notFound('Custom action');
      return c.json(viewOf(fresh), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/custom-actions/{id}',
      tags: ['Tools'],
      summary: 'Delete a custom action; published versions keep calling their frozen copy (without auth)',
      middleware: [requireApiKey('admin')] as const,
      request: { params },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      if (!(await deleteAction(database(c.env.DB), c.var.auth.teamId, c.req.valid('param').id)))
        throw notFound('Custom action');
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/custom-actions/{id}/health/check',
      tags: ['Tools'],
      summary: "Run the action's health check now and store the outcome",
      description: 'Answers 200 either way; `health.status` says whether the health URL answered 2xx. 400 without one.',
      middleware: [requireApiKey('admin')] as const,
      request: { params },
      responses: { 200: json('The action with its health', CustomAction), ...errorResponses },
    }),
    async (c) => {
      const { teamId } = c.var.auth;
      const db = database(c.env.DB);
      const id = c.req.valid('param').id;
      const row = await getAction(db, teamId, id);
      if (!row) throw notFound('Custom action');
      if (!row.healthUrl)
        throw new ApiError(400, 'no_health_check', 'This action has no healthCheckUrl; set one with PATCH first');
      await checkHealth(c.env, db, row);
      return c.json(viewOf((await getAction(db, teamId, id)) ?? row), 200);
    },
  );
