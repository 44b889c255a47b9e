import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { conversationStub } from '../conversation/stub.ts';
import { createRouter } from '../http/app.ts';
import { ErrorSchema, errorResponses, idParam } from '../http/schemas.ts';
import { loadConversation } from './lookup.ts';
import {
  approvalIdParam,
  decided,
  decisionErrors,
  ToolApprovalDecidedSchema,
  ToolApprovalDecisionBody,
} from './tool-approval-schemas.ts';

/** POST /api/v1/conversations/{id}/tool-approvals/{approvalId}: a person approves or denies a waiting tool call. */
export const toolApprovalRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/api/v1/conversations/{id}/tool-approvals/{approvalId}',
    tags: ['Conversations'],
    summary: 'Approve or deny a tool call the turn is waiting on (tool.approval_requested); exactly once',
    middleware: [requireApiKey('chat')] as const,
    request: {
      params: z.object({ id: idParam('id', 'conv_…'), approvalId: approvalIdParam }),
      body: { required: true, content: { 'application/json': { schema: ToolApprovalDecisionBody } } },
    },
    responses: {
      200: {
        description: 'Decided: the turn runs the tool (approve) or tells the model it was denied',
        content: { 'application/json': { schema: ToolApprovalDecidedSchema } },
      },
      ...errorResponses,
      ...decisionErrors(ErrorSchema),
    },
  }),
  async (c) => {
    const { id, approvalId } = c.req.valid('param');
    const { decision } = c.req.valid('json');
    const conversation = await loadConversation(c.env, c.var.auth.teamId, id);
    const result = await conversationStub(c.env, conversation.id).decideToolApproval(
      approvalId,
      decision === 'approve' ? 'approved' : 'denied',
    );
    return c.json(decided(result), 200);
  },
);
