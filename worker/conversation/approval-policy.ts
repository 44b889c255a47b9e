import { DEFAULT_APPROVAL_TIMEOUT_SECONDS, type ToolApproval, type ToolCall } from '../../plugins/sdk/index.ts';
import type { ConversationMeta } from './meta.ts';
import type { ApprovalOutcome } from './tool-approvals.ts';

/** What an LLM call may ask of the conversation: a person's decision on a call, where its surface can ask one. */
export interface ApprovalGate {
  /** Whether a person can be asked here: the widget and the dashboard's test chat can; channels and the API cannot. */
  readonly canAsk: boolean;
  ask(
    input: { nodeId: string; messageId: string | null; call: ToolCall; timeoutMs: number },
    signal: AbortSignal,
  ): Promise<ApprovalOutcome>;
}

/** The surfaces with a person at a screen that shows Approve / Deny (docs/tools.md#approval). */
export const canAskOn = (meta: ConversationMeta): boolean =>
  !meta.channel && (meta.surface === 'widget' || meta.surface === 'dashboard');

/**
 * The approval step of one LLM call's tool loop: null for a call that needs none; otherwise the person's decision
 * where one can be asked, else the node's `otherwise` rule.
 */
export function approvalCheck(
  approval: ToolApproval | undefined,
  gate: ApprovalGate | undefined,
  at: { nodeId: string; messageId: string | null; signal: AbortSignal },
): ((call: ToolCall) => Promise<ApprovalOutcome | null>) | undefined {
  if (!approval || approval.functions.length === 0) return undefined;
  const needs = new Set(approval.functions);
  const timeoutMs = (approval.timeoutSeconds ?? DEFAULT_APPROVAL_TIMEOUT_SECONDS) * 1000;
  return async (call) => {
    if (!needs.has(call.name)) return null;
    if (!gate?.canAsk) return { decision: approval.otherwise === 'allow' ? 'approved' : 'denied', by: 'rule' };
    return gate.ask({ nodeId: at.nodeId, messageId: at.messageId, call, timeoutMs }, at.signal);
  };
}

/** The tool result the model gets for a call that was not approved: why, so it can tell the user. */
export function deniedOutput(outcome: ApprovalOutcome): string {
  const reason =
    outcome.by === 'timeout'
      ? 'Nobody approved this tool call in time, so it was not run.'
      : outcome.by === 'rule'
        ? 'This tool needs approval, which cannot be asked on this channel, and its rule is to deny. It was not run.'
        : outcome.by === 'user'
          ? 'The user denied this tool call, so it was not run.'
          : 'The tool call was not approved, so it was not run.';
  return JSON.stringify({ error: reason, denied: true });
}
