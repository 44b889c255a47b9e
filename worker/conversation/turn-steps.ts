import type { ChatMessage, ChatRequest, JsonValue, ProviderPlugin, ToolCall } from '../../plugins/sdk/index.ts';
import type { Clock } from '../ports/clock.ts';
import { deniedOutput } from './approval-policy.ts';
import type { ConversationEventBody } from './protocol.ts';
import { type ReplyOutcome, streamReply } from './stream-reply.ts';
import type { ApprovalOutcome } from './tool-approvals.ts';
import { MAX_REPLY_FILES } from './tool-files.ts';
import type { Toolbox, ToolOutcome } from './tool-runner.ts';

/**
 * Parallel calls one model response may run. Every call's log entry is kept in the reply's metadata (≤ 4 KB each),
 * so this and maxToolSteps (≤ 10) keep a reply's row far below the 2 MB Durable Object row limit.
 */
export const MAX_TOOL_CALLS_PER_STEP = 16;

export interface TurnStepsInput {
  provider: ProviderPlugin;
  settings: Record<string, unknown>;
  request: ChatRequest;
  toolbox: Toolbox;
  /** Rounds of tool calls allowed; after the last one the model must answer without tools. */
  maxToolSteps: number;
  firstTokenTimeoutMs: number;
  replyId: string;
  clock: Clock;
  fetch: typeof fetch;
  cancel: AbortSignal;
  emit(event: ConversationEventBody): void;
  /** Null for a call that needs no approval; else how it was decided (docs/tools.md#approval). Absent: none do. */
  approve?(call: ToolCall): Promise<ApprovalOutcome | null>;
}

/**
 * The tool-calling loop of one turn: the model streams text and may ask for tools; Parley runs them, hands the
 * results back and lets the model continue, at most `maxToolSteps` times. Text of every step streams into the same
 * reply, usage is summed, and each call and result is both an event and a line in the reply's metadata.
 */
export async function runTurnSteps(input: TurnStepsInput): Promise<ReplyOutcome> {
  const messages: ChatMessage[] = [...input.request.messages];
  const toolLog: JsonValue[] = [];
  const files: JsonValue[] = [];
  let content = '';
  let inputTokens = 0;
  let outputTokens = 0;
  let sawUsage = false;
  const metadata: Record<string, JsonValue> = {};
  for (let step = 0; ; step++) {
    const offerTools = input.toolbox.size > 0 && step < input.maxToolSteps;
    const outcome = await streamReply({
      provider: input.provider,
      settings: input.settings,
      request: { ...input.request, messages, ...(offerTools && { tools: input.toolbox.specs() }) },
      clock: input.clock,
      fetch: input.fetch,
      cancel: input.cancel,
      firstTokenTimeoutMs: input.firstTokenTimeoutMs,
      onDelta: (text) => input.emit({ type: 'delta', messageId: input.replyId, text }),
    });
    content += outcome.content;
    if (outcome.usage) {
      sawUsage = true;
      inputTokens += outcome.usage.inputTokens;
      outputTokens += outcome.usage.outputTokens;
    }
    Object.assign(metadata, outcome.metadata);
    const done = outcome.status !== 'complete' || outcome.toolCalls.length === 0 || !offerTools;
    if (done) {
      if (toolLog.length > 0) metadata.tools = toolLog;
      // Files the tools returned are attachments of the reply (issue 18 §1), shown and served like a user's upload.
      if (files.length > 0) metadata.attachments = files;
      return {
        ...outcome,
        content,
        usage: sawUsage ? { inputTokens, outputTokens } : null,
        metadata,
        toolCalls: [],
      };
    }
    messages.push({ role: 'assistant', content: outcome.content, toolCalls: outcome.toolCalls });
    for (const [index, call] of outcome.toolCalls.entries()) {
      input.emit({ type: 'tool.call', messageId: input.replyId, call });
      const approval = index < MAX_TOOL_CALLS_PER_STEP ? ((await input.approve?.(call)) ?? null) : null;
      const refused = (output: string): ToolOutcome => ({ callId: call.id, name: call.name, ok: false, output });
      const result =
        index >= MAX_TOOL_CALLS_PER_STEP
          ? refused(JSON.stringify({ error: 'Too many tool calls at once' }))
          : approval?.decision === 'denied'
            ? refused(deniedOutput(approval))
            : await input.toolbox.run(call, { clock: input.clock, fetch: input.fetch, signal: input.cancel });
      input.emit({
        type: 'tool.result',
        messageId: input.replyId,
        callId: result.callId,
        name: result.name,
        ok: result.ok,
        output: result.output,
      });
      // The model got the whole output; the stored log keeps a preview so metadata stays small.
      toolLog.push({
        id: call.id,
        name: call.name,
        arguments: call.arguments.slice(0, 2000),
        ok: result.ok,
        output: result.output.slice(0, 2000),
        ...(approval && { approval: { decision: approval.decision, by: approval.by } }),
      });
      // Only a first-party tool's side channel attaches a file; an output naming one never does (tool-files.ts).
      for (const file of result.ok ? (result.files ?? []) : []) {
        if (files.length < MAX_REPLY_FILES) files.push({ ...file });
      }
      messages.push({ role: 'tool', toolCallId: call.id, content: result.output });
    }
  }
}
