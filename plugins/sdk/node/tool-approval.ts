import { z } from 'zod';

/**
 * How long a turn waits for a person to approve or deny a tool call before the call counts as denied. Ten minutes:
 * long enough to read the arguments and decide, short enough that an abandoned chat does not keep its conversation
 * object awake (an awaited timer keeps it in memory) or its turn blocking the next message for long.
 */
export const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 600;
// An hour at most: a turn holds its conversation (later messages queue behind it) for as long as it waits.
const MAX_APPROVAL_TIMEOUT_SECONDS = 3_600;

/**
 * An LLM node's human approval of tool calls (issue 18 §4): calls of the named functions pause the turn until the
 * user approves or denies them where the surface can ask (the widget, the dashboard's test chat); elsewhere
 * (messaging channels, the API) `otherwise` decides.
 */
export const toolApproval = z.strictObject({
  /** Function names (as the model calls them) that need approval; 64 is twice the most tools a node may enable. */
  functions: z
    .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a function name: letters, digits, _ or -, at most 64 characters'))
    .max(64)
    .refine((names) => new Set(names).size === names.length, 'function names must be unique')
    .describe('Functions (as the model calls them, e.g. create_reminder) that wait for the user to approve each call.'),
  /** The rule on channels that cannot ask: run the call (`allow`) or tell the model it was denied (`deny`). */
  otherwise: z
    .enum(['allow', 'deny'])
    .default('deny')
    .describe('Where nobody can be asked (messaging channels, the API): run the call (allow) or refuse it (deny).'),
  /** Seconds to wait for a decision before denying (default 600). */
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(MAX_APPROVAL_TIMEOUT_SECONDS)
    .optional()
    .describe('How long to wait for a decision before the call counts as denied (default 600 s).'),
});

export type ToolApproval = z.infer<typeof toolApproval>;
