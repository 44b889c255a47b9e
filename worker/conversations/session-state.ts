import { createRoute, z } from '@hono/zod-openapi';
import type { JsonObject } from '../../plugins/sdk/json.ts';
import { requireApiKey } from '../auth/middleware.ts';
import type { SessionStateResult } from '../conversation/session-state.ts';
import { conversationStub } from '../conversation/stub.ts';
import { createRouter } from '../http/app.ts';
import { ApiError } from '../http/errors.ts';
import { ErrorSchema, errorResponses, idParam } from '../http/schemas.ts';
import { MAX_STATE_BYTES } from '../pipelines/barrier.ts';
import { conversationMeta, loadConversation } from './lookup.ts';

const SessionState = z
  .object({ state: z.record(z.string(), z.unknown()).describe("The conversation's session state") })
  .openapi('SessionState');

export type SessionState = z.infer<typeof SessionState>;

const StateBody = z.record(z.string().min(1).max(200), z.unknown()).openapi('SessionStateBody', {
  example: { step: 'ask_email', attempts: 1 },
});

const params = z.object({ id: idParam('id', 'conv_…') });
const ok = (description: string) => ({ description, content: { 'application/json': { schema: SessionState } } });
const busy = {
  409: {
    description: 'A reply is being generated (`turn_running`); its run writes the state when it ends. Retry after it.',
    content: { 'application/json': { schema: ErrorSchema } },
  },
};

const DOCS = `Session state is the conversation's durable JSON object: pipeline runs read it when they start and write
it when they succeed (node settings address it as \`session.<key>\`). It lives in the conversation's Durable Object,
at most 256 KB as JSON. Writes are refused (409 \`turn_running\`) while a reply is being generated.`;

const encoder = new TextEncoder();

function checkSize(state: JsonObject): void {
  const bytes = encoder.encode(JSON.stringify(state)).length;
  if (bytes > MAX_STATE_BYTES) {
    throw new ApiError(400, 'invalid_request', 'Invalid body', [
      { field: 'body', message: `session state would be ${bytes} bytes as JSON; at most ${MAX_STATE_BYTES}` },
    ]);
  }
}

function written(result: SessionStateResult): JsonObject {
  if (result.ok) return result.value;
  if (result.code === 'turn_running') {
    throw new ApiError(409, 'turn_running', 'A reply is being generated; change the session state after it');
  }
  // Only a call without meta can see this; the routes always send it.
  throw new ApiError(409, 'not_started', 'The conversation has not started');
}

export const sessionStateRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/conversations/{id}/session-state',
      tags: ['Conversations'],
      summary: "A conversation's session state ({} before anything was stored)",
      description: DOCS,
      middleware: [requireApiKey('read')] as const,
      request: { params },
      responses: { 200: ok('The session state'), ...errorResponses },
    }),
    async (c) => {
      const conversation = await loadConversation(c.env, c.var.auth.teamId, c.req.valid('param').id);
      return c.json({ state: await conversationStub(c.env, conversation.id).sessionState() }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/conversations/{id}/session-state',
      tags: ['Conversations'],
      summary: "Replace a conversation's session state",
      description: `${DOCS}\n\nThe body is the new state, a JSON object.`,
      middleware: [requireApiKey('chat')] as const,
      request: { params, body: { required: true, content: { 'application/json': { schema: StateBody } } } },
      responses: { 200: ok('Stored'), ...errorResponses, ...busy },
    }),
    async (c) => {
      const conversation = await loadConversation(c.env, c.var.auth.teamId, c.req.valid('param').id);
      const state = c.req.valid('json') as JsonObject;
      checkSize(state);
      const result = await conversationStub(c.env, conversation.id).setSessionState(
        state,
        conversationMeta(conversation),
      );
      return c.json({ state: written(result) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/conversations/{id}/session-state',
      tags: ['Conversations'],
      summary: "Reset a conversation's session state to {}",
      description: DOCS,
      middleware: [requireApiKey('chat')] as const,
      request: { params },
      responses: { 204: { description: 'Reset' }, ...errorResponses, ...busy },
    }),
    async (c) => {
      const conversation = await loadConversation(c.env, c.var.auth.teamId, c.req.valid('param').id);
      written(await conversationStub(c.env, conversation.id).setSessionState(null));
      return c.body(null, 204);
    },
  );
