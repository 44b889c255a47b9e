import type { CodeSandbox } from '../../plugins/sdk/node/sandbox.ts';
import type { Env } from '../env.ts';
import { newId } from '../ids.ts';
import { PipelineInvalidError } from '../pipelines/compile.ts';
import type { AnyDefinition } from '../pipelines/definition.ts';
import type { Clock } from '../ports/clock.ts';
import type { ConversationMeta } from './meta.ts';
import { compileTurnPipeline, type TurnPipeline } from './pipeline-compile.ts';
import { type ResumedRun, runBase } from './pipeline-reply-ids.ts';
import type { PipelineStore } from './pipeline-store.ts';
import { PipelineTurn } from './pipeline-turn.ts';
import type { ConversationEventBody, ConversationMessage } from './protocol.ts';
import type { ProviderCache } from './provider-cache.ts';
import type { ConversationStore, TurnRow } from './store.ts';
import { failedReply, type ReplyOutcome } from './stream-reply.ts';
import type { ToolApprovals } from './tool-approvals.ts';

export interface TurnHost {
  env: Env;
  store: ConversationStore;
  pipelines: PipelineStore;
  clock: Clock;
  providers: ProviderCache;
  /** The code sandbox code nodes run in (worker/code-sandbox, wired by the object). */
  sandbox: CodeSandbox;
  emit(body: ConversationEventBody): void;
  /**
   * A reply is about to be generated. A channel conversation returns what each delta must also feed (typing and
   * streaming on the platform); others return undefined, so their delta path stays exactly `emit`.
   */
  replyStarted(meta: ConversationMeta, replyId: string): ((text: string) => void) | undefined;
  /** Called in the same synchronous block that stores the finished reply (delivery rows, outbox). */
  replyFinished(message: ConversationMessage, now: number): void;
  /** A pipeline node ended the conversation: the same as the object's `end()`. */
  endConversation(): void;
  /** A successful run tagged its replies or the conversation (copied to D1 through the outbox). */
  runTagged(runId: string, now: number): void;
  /** The turn is over, after its last reply (streams waiting for it close). */
  turnFinished(turnId: string): void;
  /** Tool calls waiting for a person's approval (docs/tools.md#approval). */
  approvals?: ToolApprovals;
}

// An interrupted run is resumed at most this many times: a run that keeps killing its object (a node past the
// memory limit, say) must end, with the `interrupted` error, instead of restarting for ever.
const MAX_RESUMES = 2;

/**
 * The turn lifecycle of one conversation: turns run one at a time, in order; each runs the chatbot's pipeline
 * (a version 1 definition as its start → llm → end graph: pipeline-turn.ts), which streams or sends its replies.
 * Turns cut off by a crash are resumed or closed on the next wake (closeInterrupted).
 */
export class TurnRunner {
  private pumping = false;
  private compiled: TurnPipeline | undefined;
  private active: { turnId: string; cancel: AbortController } | undefined;
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(private readonly host: TurnHost) {}

  get running(): boolean {
    return this.active !== undefined;
  }

  /** Stops the reply being generated; its partial text is kept and marked `stopped`. */
  cancel(): { cancelled: boolean; turnId: string | null } {
    if (!this.active) return { cancelled: false, turnId: null };
    this.active.cancel.abort(new Error('cancelled by the client'));
    return { cancelled: true, turnId: this.active.turnId };
  }

  /** Runs pending turns until none is left; a second call while one runs returns at once. */
  async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      const { store } = this.host;
      for (let turn = store.pendingTurn(); turn; turn = store.pendingTurn()) await this.runTurn(turn);
    } finally {
      this.pumping = false;
    }
  }

  /** Resolves when the turn is done (at once if it already is). */
  done(turnId: string): Promise<void> {
    if (this.host.store.turnStatus(turnId) === 'done') return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(turnId, [...(this.waiters.get(turnId) ?? []), resolve]));
  }

  /**
   * Memory is fresh: any turn still marked running was cut off by a crash or a deploy. A pipeline (schemaVersion 2)
   * run none of whose replies had started streaming is queued again and resumes from its last checkpoint (runTurn);
   * any other turn is closed with an `interrupted` error that keeps the text streamed so far (docs/pipeline-turns.md).
   */
  closeInterrupted(): void {
    const error = { code: 'interrupted', message: 'The reply was interrupted by a restart; send the message again' };
    const { store, pipelines, clock } = this.host;
    for (const turn of store.runningTurns()) this.requeue(turn);
    for (const turn of store.runningTurns()) {
      if (!turn.reply_message_id) continue;
      const streaming = store.streamingReplies(turn.id);
      // A pipeline turn cut off before its first reply has no message yet: the interruption becomes that reply.
      if (streaming.length === 0 && !store.message(turn.reply_message_id)) {
        this.postVerbatim(turn.id, '', {}, { id: turn.reply_message_id, outcome: failedReply(error) });
      }
      for (const message of streaming) {
        this.finishMessage(message.id, failedReply(error, store.streamedText(message.id)));
      }
      this.finishTurn(turn.id);
    }
    // A requeued turn's run waits to resume; any other still running was cut off with its turn, closed above.
    for (const run of pipelines.runningRuns()) {
      if (store.turnStatus(run.turnId) === 'pending') continue;
      // The run's replies, the interrupted one included (its trace explains it): ids derived from the run's base.
      const prefix = runBase(run.id).slice(0, -2);
      const replyIds = store
        .turnReplies(run.turnId)
        .map((message) => message.id)
        .filter((id) => id.startsWith(prefix));
      pipelines.closeRun(run.id, 'failed', { nodeId: null, ...error }, clock.now(), replyIds);
    }
  }

  /**
   * Completes a turn at once with a verbatim reply (trigger text, canned replies): no model call. `turnId` is a turn
   * already stored as done or about to be.
   */
  postVerbatim(
    turnId: string,
    text: string,
    metadata: ConversationMessage['metadata'],
    failed?: { id: string; outcome: ReplyOutcome },
  ): ConversationMessage {
    const { store, clock } = this.host;
    const now = clock.now();
    if (failed) {
      store.insertMessage({
        id: failed.id,
        role: 'assistant',
        content: '',
        status: 'streaming',
        turnId,
        clientMessageId: null,
        createdSeq: store.lastSeq() + 1,
        createdAt: now,
      });
      this.host.emit({ type: 'message.created', message: store.message(failed.id) as ConversationMessage });
      return this.finishMessage(failed.id, failed.outcome);
    }
    const message = store.insertMessage({
      id: newId('msg', now),
      role: 'assistant',
      content: text,
      status: 'complete',
      turnId,
      clientMessageId: null,
      createdSeq: store.lastSeq() + 1,
      metadata,
      createdAt: now,
    });
    this.host.emit({ type: 'message.created', message });
    this.host.emit({ type: 'message.completed', message });
    this.host.replyFinished(message, now);
    return message;
  }

  /** Queues an interrupted pipeline turn to resume, unless a reply is on screen half-streamed or it resumed enough. */
  private requeue(turn: TurnRow): boolean {
    const { store } = this.host;
    const pipeline = store.getMeta<{ schemaVersion: number }>('definition')?.schemaVersion === 2;
    if (!turn.reply_message_id || !pipeline) return false;
    if (store.streamingReplies(turn.id).length > 0) return false;
    // One turn runs at a time, so one row counts the resumes of the turn cut off last.
    const last = store.getMeta<{ turnId: string; resumes: number }>('resumed_turn');
    const resumes = last?.turnId === turn.id ? last.resumes + 1 : 1;
    if (resumes > MAX_RESUMES) return false;
    store.setMeta('resumed_turn', { turnId: turn.id, resumes });
    store.requeueTurn(turn.id);
    return true;
  }

  /** The run a requeued turn continues: its stored checkpoint, or a fresh start under the same ids. */
  private resumedRun(turn: TurnRow): ResumedRun | undefined {
    if (!turn.reply_message_id) return undefined;
    const run = this.host.pipelines.runningRunOf(turn.id);
    if (!run) return { base: turn.reply_message_id, checkpoint: null, replyIds: [] };
    return { base: runBase(run.id), checkpoint: run.checkpoint, replyIds: run.replyIds };
  }

  private pipeline(): TurnPipeline {
    this.compiled ??= compileTurnPipeline(this.host.store.getMeta<AnyDefinition>('definition') as AnyDefinition);
    return this.compiled;
  }

  private async runTurn(row: TurnRow): Promise<void> {
    const { store, clock } = this.host;
    const turnId = row.id;
    const meta = store.getMeta<ConversationMeta>('conversation') as ConversationMeta;
    const cancel = new AbortController();
    this.active = { turnId, cancel };
    try {
      const resumed = this.resumedRun(row);
      const turn = new PipelineTurn(this.host, this.pipeline(), meta, turnId, cancel.signal, resumed);
      store.startTurn(turnId, turn.firstReplyId, clock.now());
      const instruction = store.turnInstruction(turnId);
      const input =
        instruction ??
        store
          .turnUserMessages(turnId)
          .map((message) => message.content)
          .join('\n\n');
      await turn.run(input);
    } catch (error) {
      // A bug or a stored definition the engine refuses: the turn still ends with a reply the admin can read.
      console.error(JSON.stringify({ level: 'error', turnId, error: String(error) }));
      if (store.turnStatus(turnId) === 'pending') store.startTurn(turnId, newId('msg', clock.now()), clock.now());
      const failure = failedReply(turnError(error));
      const streaming = store.streamingReplies(turnId);
      for (const message of streaming) this.finishMessage(message.id, failure);
      if (streaming.length === 0)
        this.postVerbatim(turnId, '', {}, { id: newId('msg', clock.now()), outcome: failure });
    } finally {
      this.active = undefined;
    }
    this.finishTurn(turnId);
  }

  private finishMessage(id: string, outcome: ReplyOutcome): ConversationMessage {
    const { store } = this.host;
    const now = this.host.clock.now();
    if (outcome.error) this.host.emit({ type: 'error', messageId: id, error: outcome.error });
    const message = store.finishMessage(id, { ...outcome, completedAt: now });
    this.host.emit({ type: 'message.completed', message });
    this.host.replyFinished(message, now);
    return message;
  }

  private finishTurn(turnId: string): void {
    this.host.store.finishTurn(turnId, this.host.clock.now());
    this.host.turnFinished(turnId);
    for (const resolve of this.waiters.get(turnId) ?? []) resolve();
    this.waiters.delete(turnId);
  }
}

// A few problems name what to fix; the whole list is in GET …/versions/0 (`issues`).
const SHOWN_PROBLEMS = 3;

/**
 * What a turn that could not run tells the admin: a draft saved with problems (pipeline drafts may be: see
 * worker/chatbots/pipeline-checks.ts draftDefinition) names them; anything else stays a generic internal error.
 */
function turnError(error: unknown): { code: string; message: string } {
  if (!(error instanceof PipelineInvalidError))
    return { code: 'internal', message: 'The reply could not be generated' };
  const problems = error.issues.slice(0, SHOWN_PROBLEMS).map((issue) => `${issue.path}: ${issue.message}`);
  return { code: 'invalid_pipeline', message: `The pipeline has problems to fix first: ${problems.join('; ')}` };
}
