import { z } from '@hono/zod-openapi';

/**
 * The response of GET /api/v1/conversations/{id}/messages/{messageId}/trace ("why this reply"): the pipeline run's
 * RunCheckpoint trace (worker/pipelines/run-record.ts) as the API shows it. The route is the turn helper's; this
 * schema is shared with the dashboard, which imports only the z.infer types.
 */

/** A value cut to its first bytes of JSON (run-record.ts `Truncated`). */
const TruncatedValue = z.object({ truncated: z.literal(true), bytes: z.number(), preview: z.string() });

export const TraceNodeStatus = z.enum(['completed', 'failed', 'skipped', 'cancelled', 'aborted']);

export const TraceEntrySchema = z
  .object({
    nodeId: z.string(),
    kind: z.string(),
    status: TraceNodeStatus,
    superstep: z.number().int(),
    attempts: z.number().int(),
    startedAt: z.number().optional().describe('Epoch ms; absent for skipped nodes'),
    durationMs: z.number(),
    input: z.unknown().optional().describe('The JSON the node received, or a truncated marker'),
    output: z.unknown().optional().describe('The JSON the node produced, or a truncated marker'),
    port: z.string().optional().describe('The output a router followed'),
    tokens: z.object({ inputTokens: z.number(), outputTokens: z.number() }).optional(),
    tools: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          arguments: z.string().describe("The model's arguments (first 300 characters)"),
          ok: z.boolean(),
          output: z.string().describe('What the model got back (first 300 characters)'),
          approval: z
            .object({
              decision: z.enum(['approved', 'denied']),
              by: z.string().describe('user, timeout, cancelled, interrupted, or rule (the node’s `otherwise`)'),
            })
            .optional(),
        }),
      )
      .optional()
      .describe("The tool calls of the node's model, in order"),
    error: z.string().optional(),
  })
  .openapi('TraceEntry');

export const RunErrorSchema = z
  .object({
    nodeId: z.string().nullable().describe('The node at fault; null for a run-level stop (bounds, cancellation)'),
    code: z.string().openapi({ example: 'node_failed' }),
    message: z.string(),
  })
  .openapi('RunError');

export const MessageTraceSchema = z
  .object({
    messageId: z.string(),
    runId: z.string(),
    status: z.enum(['running', 'completed', 'failed', 'aborted', 'cancelled']),
    startedAt: z.number(),
    finishedAt: z.number().nullable(),
    path: z.array(z.string()).describe('Node ids in the order their results were applied'),
    trace: z.array(TraceEntrySchema),
    error: RunErrorSchema.nullable(),
  })
  .openapi('MessageTrace');

export type TraceEntry = z.infer<typeof TraceEntrySchema>;
export type RunErrorView = z.infer<typeof RunErrorSchema>;
export type MessageTrace = z.infer<typeof MessageTraceSchema>;
export type TruncatedValue = z.infer<typeof TruncatedValue>;
