import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { teamReferenceResolver } from '../chatbots/pipeline-checks.ts';
import { findChatbot } from '../chatbots/store.ts';
import { database } from '../db/client.ts';
import type { Env } from '../env.ts';
import { createRouter } from '../http/app.ts';
import { ApiError } from '../http/errors.ts';
import { durableObjectRateLimiter } from '../http/rate-limiter-do.ts';
import { ErrorSchema, errorResponses } from '../http/schemas.ts';
import { systemClock } from '../ports/clock.ts';
import { pipelineNode } from './definition.ts';
import { nodeKinds, pluginOfKind } from './kinds.ts';
import type { JsonValue } from './node-kind.ts';
import type { PipelineState, ScopeState } from './run-state.ts';
import { runSample } from './sample-run.ts';
import { sampleServices } from './sample-services.ts';
import { issuePath } from './validate.ts';

// A sample, not a data set: 32 KiB of input and 64 KiB of state are far more than a hand-typed sample and keep a
// sample run's memory and JSON copies (every state write copies its scope) small next to the 1 MiB body limit.
export const MAX_SAMPLE_INPUT_BYTES = 32 * 1024;
export const MAX_SAMPLE_STATE_BYTES = 64 * 1024;
// The editor waits for the answer; 30 s is the longest an admin waits for a button, and half a node's default.
export const SAMPLE_TIMEOUT_MS = 30_000;
/**
 * Per team, on top of the per-key limit every route has: a sample run may spend a code node's whole instruction
 * budget or an HTTP request, so a script hammering the endpoint is held to one run a second on average.
 */
export const SAMPLE_RUN_POLICY = { name: 'node-run', limit: 60, windowSeconds: 60 } as const;

const stateScope = z.record(z.string(), z.unknown());

const NodeRunRequest = z
  .object({
    kind: pipelineNode.shape.kind.describe('The node kind to run, e.g. code or template'),
    settings: z.record(z.string(), z.unknown()).describe("The node's settings, checked as a saved draft's are"),
    input: z.unknown().optional().describe('The input the node receives (any JSON; default null), ≤ 32 KiB'),
    state: z
      .strictObject({ session: stateScope.optional(), participant: stateScope.optional(), run: stateScope.optional() })
      .optional()
      .describe('Session state, participant data and run state the node reads (≤ 64 KiB together); never stored'),
    chatbotId: z.string().min(1).max(64).optional().describe("A chatbot of the team, for the node's context"),
  })
  .openapi('NodeRunRequest', {
    example: { kind: 'template', settings: { template: 'Hello {{ input }}!' }, input: 'world' },
  });

const stateWrite = z.object({
  scope: z.enum(['session', 'participant', 'run']),
  key: z.string(),
  op: z.enum(['set', 'append', 'increment', 'delete']),
  value: z.unknown().optional(),
  by: z.number().optional(),
});

const NodeRunResult = z
  .object({
    output: z.unknown().describe('What the node returned (`{ truncated, bytes, preview }` past 64 KiB); null on error'),
    route: z.string().optional().describe('The port a router chose'),
    stateWrites: z.array(stateWrite).describe('The writes it would make, in order; none is committed'),
    tags: z.array(z.object({ name: z.string(), scope: z.enum(['reply', 'conversation']) })),
    replies: z.array(z.string()).describe('Messages it would send mid-run (a reply node); none is sent'),
    endConversation: z.object({ reason: z.string() }).optional(),
    tokens: z.object({ input: z.number(), output: z.number() }).optional(),
    logs: z.array(z.string()).describe('Console output of a code node, a line per HTTP request and per email not sent'),
    error: z
      .object({ code: z.enum(['node_failed', 'timeout', 'aborted']), message: z.string() })
      .optional()
      .describe('The node failed (a throwing code node, a template that does not render): still a 200'),
    durationMs: z.number(),
  })
  .openapi('NodeRunResult');

/** The answer of a sample run, for the editor (dashboard/src/views/pipeline/NodePanel.tsx). */
export type NodeRunAnswer = z.infer<typeof NodeRunResult>;

const byteLength = (value: unknown) => new TextEncoder().encode(JSON.stringify(value) ?? '').length;

const invalid = (field: string, message: string, code = 'invalid_request') =>
  new ApiError(400, code, `Invalid ${field}: ${message}`, [{ field, message }]);

async function assertWithinRate(env: Env, teamId: string): Promise<void> {
  const decision = await durableObjectRateLimiter(env.RATE_LIMITER).hit(`node-run:${teamId}`, SAMPLE_RUN_POLICY);
  if (!decision.allowed)
    throw new ApiError(
      429,
      'rate_limited',
      `At most ${SAMPLE_RUN_POLICY.limit} sample runs per ${SAMPLE_RUN_POLICY.windowSeconds} s per team`,
      { retryAfter: decision.resetSeconds },
    );
}

/** `POST /api/v1/pipelines/nodes/run`: one node kind run once on a sample input, with no side effects. */
export const nodeRunRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/api/v1/pipelines/nodes/run',
    tags: ['Pipelines'],
    summary: 'Run one node kind once on a sample input and state, with no side effects (the editor’s sample run)',
    description:
      'Settings are validated as in a draft (400 naming `body.settings.<field>`). Nothing is committed: state writes, ' +
      'tags and replies are returned, email is not sent, HTTP goes through the outbound guard. Kinds that call a model ' +
      'are refused (400 `model_not_available`): try them in a test conversation. A node that fails answers 200 with `error`.',
    middleware: [requireApiKey('admin', 'chatbots.write')] as const,
    request: { body: { content: { 'application/json': { schema: NodeRunRequest } } } },
    responses: {
      200: { description: 'What the node did', content: { 'application/json': { schema: NodeRunResult } } },
      ...errorResponses,
      429: {
        description: 'Too many sample runs for this team',
        content: { 'application/json': { schema: ErrorSchema } },
      },
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const { teamId } = c.var.auth;
    const input = (body.input ?? null) as JsonValue;
    if (byteLength(input) > MAX_SAMPLE_INPUT_BYTES)
      throw invalid('body.input', `at most ${MAX_SAMPLE_INPUT_BYTES} bytes of JSON`);
    if (body.state && byteLength(body.state) > MAX_SAMPLE_STATE_BYTES)
      throw invalid('body.state', `at most ${MAX_SAMPLE_STATE_BYTES} bytes of JSON`);
    const kind = nodeKinds().get(body.kind);
    if (!kind) throw invalid('body.kind', `no node kind "${body.kind}"`, 'unknown_kind');
    const parsed = kind.settings.safeParse(body.settings);
    if (!parsed.success) {
      const details = parsed.error.issues.map((issue) => ({
        field: issuePath(['body', 'settings', ...issue.path]),
        message: issue.message,
      }));
      const message = details.map((detail) => `${detail.field}: ${detail.message}`).join('; ');
      throw new ApiError(400, 'invalid_settings', `Invalid settings: ${message}`, details);
    }
    const db = database(c.env.DB);
    const references = kind.references?.(parsed.data) ?? [];
    if (references.length) {
      const exists = await teamReferenceResolver(db, teamId).exists(references);
      const missing = references.filter((_, i) => !exists[i]);
      if (missing.length)
        throw new ApiError(
          400,
          'unknown_reference',
          `Invalid settings: ${missing.map((ref) => `no ${ref.type} "${ref.id}" in this team`).join('; ')}`,
          missing.map((ref) => ({
            field: `body.settings.${ref.path}`,
            message: `no ${ref.type} "${ref.id}" in this team`,
          })),
        );
    }
    const chatbotId = body.chatbotId ? (await findChatbot(db, teamId, body.chatbotId)).id : null;
    await assertWithinRate(c.env, teamId);
    const sample = sampleServices({
      env: c.env,
      teamId,
      chatbotId,
      pluginId: pluginOfKind(kind.id),
      collectionIds: references.flatMap((ref) => (ref.type === 'collection' ? [ref.id] : [])),
    });
    const state: PipelineState = {
      session: (body.state?.session ?? {}) as ScopeState,
      participant: (body.state?.participant ?? {}) as ScopeState,
      run: (body.state?.run ?? {}) as ScopeState,
    };
    const result = await runSample({
      kind,
      settings: parsed.data,
      input,
      state,
      services: sample.services,
      clock: systemClock,
      timeoutMs: SAMPLE_TIMEOUT_MS,
    });
    if (sample.modelRequested)
      throw new ApiError(
        400,
        'model_not_available',
        `A sample run calls no model, and node kind ${kind.id} needs one: try it in a test conversation of the draft (the editor's Test panel)`,
        [{ field: 'body.kind', message: 'this kind calls a model' }],
      );
    return c.json({ ...result, logs: sample.logs }, 200);
  },
);
