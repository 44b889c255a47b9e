import { z } from '@hono/zod-openapi';
import type { DecideResult } from '../conversation/tool-approvals.ts';
import { refusal } from '../conversation/websocket-session.ts';
import { ApiError } from '../http/errors.ts';

/**
 * Human approval of tool calls (docs/tools.md#approval): the request clients show, the decision they send, and what
 * the API answers. Shared by the API's and the widget's routes; the UIs import only the z.infer types.
 */
export const ToolApprovalSchema = z
  .object({
    id: z.string().openapi({ example: 'tap_…' }),
    callId: z.string(),
    name: z.string().describe('The function the model called'),
    arguments: z.string().describe("The model's arguments as JSON text"),
    nodeId: z.string().describe('The pipeline node whose model made the call'),
    messageId: z.string().nullable().describe('The reply it belongs to when that reply streams, else null'),
    requestedAt: z.number().openapi({ description: 'Unix ms' }),
    expiresAt: z.number().openapi({ description: 'Unix ms: no decision by then denies the call' }),
  })
  .openapi('ToolApproval');

export const ToolApprovalDecisionBody = z
  .strictObject({ decision: z.enum(['approve', 'deny']) })
  .openapi('ToolApprovalDecision', { example: { decision: 'approve' } });

export const ToolApprovalDecidedSchema = z
  .object({
    approval: ToolApprovalSchema,
    decision: z.enum(['approved', 'denied']),
  })
  .openapi('ToolApprovalDecided');

export const approvalIdParam = z
  .string()
  .min(1)
  .max(64)
  .openapi({
    param: { name: 'approvalId', in: 'path' },
    example: 'tap_…',
    description: 'The `approval.id` of a `tool.approval_requested` event',
  });

export const decisionErrors = (schema: z.ZodType) => ({
  404: { description: 'No such approval in this conversation', content: { 'application/json': { schema } } },
  409: {
    description:
      'Already decided: by a person, by the timeout, by a stop of the reply or a restart (`approval_decided`)',
    content: { 'application/json': { schema } },
  },
});

/** The decision as the API answers it; a refused one is a 404 or 409 naming why. */
export function decided(result: DecideResult): z.infer<typeof ToolApprovalDecidedSchema> {
  if (result.ok) return { approval: result.approval, decision: result.decision };
  const { code, message } = refusal(result);
  throw new ApiError(result.code === 'not_found' ? 404 : 409, code, message);
}

export type ToolApprovalView = z.infer<typeof ToolApprovalSchema>;
