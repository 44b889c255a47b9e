import type { RunError, RunStatus, TraceEntry } from '../pipelines/run-record.ts';
import type { PipelineStore } from './pipeline-store.ts';
import type { ConversationStore } from './store.ts';

/** Why a reply is what it is: the run that sent it, node by node (inputs and outputs bounded by the engine). */
export interface MessageTrace {
  messageId: string;
  runId: string;
  status: RunStatus;
  error: RunError | null;
  startedAt: number;
  finishedAt: number | null;
  /** Node ids in the order their results were applied. */
  path: string[];
  /** One entry per node that ran or was skipped (worker/conversations/trace-schemas.ts is the API's schema). */
  trace: TraceEntry[];
}

/** The trace of a reply, or null for a message no run sent (a user message, a verbatim trigger, a canned reply). */
export function messageTrace(
  store: ConversationStore,
  pipelines: PipelineStore,
  messageId: string,
): MessageTrace | null {
  const message = store.message(messageId);
  if (!message || message.role !== 'assistant') return null;
  const run = pipelines.runOfMessage(message.turnId, messageId);
  if (!run) return null;
  const { checkpoint } = run;
  return {
    messageId,
    runId: run.id,
    status: run.status as RunStatus,
    error: run.error ?? checkpoint.error,
    startedAt: checkpoint.startedAt,
    finishedAt: checkpoint.finishedAt,
    path: checkpoint.path,
    trace: checkpoint.trace,
  };
}
