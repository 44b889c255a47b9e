import type { JsonObject, JsonValue } from '../../plugins/sdk/index.ts';
import type { CodeSandbox } from '../../plugins/sdk/node/sandbox.ts';
import type { RetrievedChunk } from '../../plugins/sdk/node/services.ts';
import type { Env } from '../env.ts';
import { newId } from '../ids.ts';
import { KNOWLEDGE_PINS_META_KEY, type KnowledgePins } from '../knowledge/pins/types.ts';
import { commitParticipantData, loadParticipantData } from '../participant-data/client.ts';
import { runPipeline } from '../pipelines/engine.ts';
import type { PipelineEvent, RunCheckpoint } from '../pipelines/run-record.ts';
import type { Clock } from '../ports/clock.ts';
import { canAskOn } from './approval-policy.ts';
import type { ConversationMeta } from './meta.ts';
import { replyCitations } from './pipeline-citations.ts';
import type { TurnPipeline } from './pipeline-compile.ts';
import { RunHistories } from './pipeline-history.ts';
import { PipelineLlm } from './pipeline-llm.ts';
import { type ResumedRun, replyMessageId } from './pipeline-reply-ids.ts';
import { TurnServices } from './pipeline-services.ts';
import type { PipelineStore } from './pipeline-store.ts';
import { streamsNow } from './pipeline-streaming.ts';
import { nodeVision } from './pipeline-vision.ts';
import type { ConversationEventBody, ConversationMessage, MessageError } from './protocol.ts';
import type { ProviderCache } from './provider-cache.ts';
import { RunClock } from './run-clock.ts';
import type { ConversationStore } from './store.ts';
import { failedReply, type ReplyOutcome } from './stream-reply.ts';
import type { ToolApprovals } from './tool-approvals.ts';

export interface PipelineTurnHost {
  env: Env;
  store: ConversationStore;
  pipelines: PipelineStore;
  clock: Clock;
  providers: ProviderCache;
  sandbox: CodeSandbox;
  emit(body: ConversationEventBody): void;
  replyStarted(meta: ConversationMeta, replyId: string): ((text: string) => void) | undefined;
  replyFinished(message: ConversationMessage, now: number): void;
  /** A node ended the conversation (the object's `end()`). */
  endConversation(): void;
  /** A successful run tagged its replies or the conversation: the tags go to D1 through the outbox. */
  runTagged(runId: string, now: number): void;
  /** Tool calls waiting for a person (absent: every marked call follows its node's `otherwise` rule). */
  approvals?: ToolApprovals;
}

interface Streamed {
  nodeId: string;
  replyId: string;
  outcome: ReplyOutcome | null;
  /** Finished as a message (by an end node's reply, or at the run's end). */
  done: boolean;
  /** What each delta also feeds on a channel (host.replyStarted), kept for a retry streaming into the message. */
  onDelta: ((text: string) => void) | undefined;
}

/**
 * One turn of a chatbot run through the pipeline engine, inside the conversation object. Replies are sent at each
 * barrier in order (deterministic ids); an LLM node certain to be the reply streams into its message live; state and
 * histories are committed only when the run succeeds. Never throws for a node's failure.
 */
export class PipelineTurn {
  private readonly base: string;
  readonly runId: string;
  private readonly replyIds: string[] = [];
  private readonly streamed = new Map<string, Streamed>();
  private readonly settled = new Set<string>();
  private readonly errors = new Map<string, MessageError>();
  private readonly inFlight: Promise<unknown>[] = [];
  private delivered = 0;
  /** How much of the run's path the histories have applied. */
  private applied = 0;
  /** Nodes whose record this run has stored (PipelineStore.saveRun writes each once). */
  private readonly savedNodes = new Set<string>();
  /** How many reply ids the stored run row lists; -1 while no checkpoint is stored. */
  private savedReplies = -1;
  private readonly histories: RunHistories;
  private readonly llm: PipelineLlm;
  private readonly services: TurnServices;
  /** The knowledge chunks each LLM answer of this run was given, by its text (the fallback citations). */
  private readonly sources = new Map<string, readonly RetrievedChunk[]>();
  /** Stands still while the run waits for a person, so the wait counts toward no node timeout or wall time. */
  private readonly runClock: RunClock;

  constructor(
    private readonly host: PipelineTurnHost,
    private readonly turn: TurnPipeline,
    private readonly meta: ConversationMeta,
    private readonly turnId: string,
    private readonly cancel: AbortSignal,
    private readonly resumed?: ResumedRun,
  ) {
    this.base = resumed?.base ?? newId('msg', host.clock.now());
    this.runId = `run_${this.base.slice(4)}`;
    if (resumed) {
      this.replyIds.push(...resumed.replyIds);
      // Every reply of a stored checkpoint was sent in the block that stored it.
      this.delivered = resumed.checkpoint?.replies.length ?? 0;
      this.applied = resumed.checkpoint?.path.length ?? 0;
      for (const nodeId of Object.keys(resumed.checkpoint?.nodes ?? {})) this.settled.add(nodeId);
    }
    const vision = (nodeId: string) => nodeVision(host, turn, meta, nodeId);
    this.histories = new RunHistories({
      env: host.env,
      store: host.store,
      pipelines: host.pipelines,
      meta,
      turnId,
      vision,
    });
    if (resumed?.checkpoint) this.histories.restore(host.pipelines.runHistories(this.runId));
    this.runClock = new RunClock(host.clock);
    const { approvals } = host;
    this.llm = new PipelineLlm({
      env: host.env,
      store: host.store,
      clock: host.clock,
      providers: host.providers,
      meta,
      turnId,
      cancel,
      openStream: (nodeId, request) => this.openStream(nodeId, request.providerId, request.model),
      streamEnded: (nodeId, outcome) => {
        const record = this.streamed.get(nodeId);
        if (record) record.outcome = outcome;
      },
      failed: (nodeId, error) => this.errors.set(nodeId, error),
      track: (call) => {
        this.inFlight.push(call.catch(() => {}));
      },
      answered: (text, sources) => {
        if (sources.length > 0) this.sources.set(text, sources);
      },
      ...(approvals && {
        approvals: {
          canAsk: canAskOn(meta),
          ask: async (input, signal) => {
            const resume = this.runClock.pause();
            try {
              return await approvals.ask({ ...input, turnId }, signal);
            } finally {
              resume();
            }
          },
        },
      }),
    });
    this.services = new TurnServices({
      env: host.env,
      meta,
      pipeline: turn.pipeline,
      llm: this.llm,
      histories: this.histories,
      sandbox: host.sandbox,
      clock: host.clock,
      pins: host.store.getMeta<KnowledgePins>(KNOWLEDGE_PINS_META_KEY),
    });
  }

  /** The id the turn row points at (the first reply this run sends). */
  get firstReplyId(): string {
    return replyMessageId(this.base, 0);
  }

  private nextReplyId(): string {
    const id = replyMessageId(this.base, this.replyIds.length);
    this.replyIds.push(id);
    return id;
  }

  private openStream(nodeId: string, providerId: string, model: string) {
    const { host } = this;
    const known = this.streamed.get(nodeId);
    if (known) {
      // A failed attempt that showed nothing yet (a 429 before the first token): its retry streams into the same
      // message. Once text reached the user, later attempts are buffered (never streamed twice).
      if (known.outcome?.status !== 'error' || known.done || host.store.streamedText(known.replyId) !== '') return null;
      known.outcome = null;
      return { replyId: known.replyId, emit: this.sinkEmit(known.onDelta) };
    }
    if (!streamsNow(this.turn.pipeline, this.turn.ends, nodeId, this.settled)) return null;
    const now = host.clock.now();
    const replyId = this.nextReplyId();
    const message = host.store.insertMessage({
      id: replyId,
      role: 'assistant',
      content: '',
      status: 'streaming',
      turnId: this.turnId,
      clientMessageId: null,
      createdSeq: host.store.lastSeq() + 1,
      providerId,
      model,
      createdAt: now,
    });
    host.emit({ type: 'message.created', message });
    const onDelta = host.replyStarted(this.meta, replyId);
    this.streamed.set(nodeId, { nodeId, replyId, outcome: null, done: false, onDelta });
    return { replyId, emit: this.sinkEmit(onDelta) };
  }

  private sinkEmit(onDelta: ((text: string) => void) | undefined): (event: ConversationEventBody) => void {
    const { host } = this;
    return onDelta
      ? (event) => {
          host.emit(event);
          if (event.type === 'delta') onDelta(event.text);
        }
      : (event) => host.emit(event);
  }

  private metadataFor(nodeId: string | null, extra: JsonObject = {}): JsonObject {
    if (this.turn.schemaVersion === 1) return extra;
    return { ...extra, pipeline: { runId: this.runId, ...(nodeId && { nodeId }) } };
  }

  /** A whole message at once (a reply node, a buffered LLM answer, the fallback). */
  private post(text: string, nodeId: string | null, outcome: Partial<ReplyOutcome> = {}): void {
    const { host } = this;
    const now = host.clock.now();
    const id = this.nextReplyId();
    const message = host.store.insertMessage({
      id,
      role: 'assistant',
      content: '',
      status: 'streaming',
      turnId: this.turnId,
      clientMessageId: null,
      createdSeq: host.store.lastSeq() + 1,
      createdAt: now,
    });
    host.emit({ type: 'message.created', message });
    this.finishMessage(id, {
      content: text,
      status: 'complete',
      error: null,
      usage: null,
      finishReason: 'stop',
      toolCalls: [],
      ...outcome,
      metadata: this.metadataFor(nodeId, outcome.metadata),
    });
  }

  private finishMessage(id: string, outcome: ReplyOutcome): void {
    const { host } = this;
    const now = host.clock.now();
    if (outcome.error) host.emit({ type: 'error', messageId: id, error: outcome.error });
    const citations = replyCitations(
      outcome.content,
      this.services.knowledge.retrieved(),
      this.sources.get(outcome.content),
    );
    const metadata =
      citations.length > 0 ? { ...outcome.metadata, citations: citations as unknown as JsonValue } : outcome.metadata;
    const message = host.store.finishMessage(id, { ...outcome, metadata, completedAt: now });
    host.emit({ type: 'message.completed', message });
    host.replyFinished(message, now);
  }

  private finishStreamed(record: Streamed, fallback: ReplyOutcome): void {
    if (record.done) return;
    record.done = true;
    const outcome = record.outcome ?? fallback;
    const metadata = this.metadataFor(record.nodeId, outcome.metadata);
    this.finishMessage(record.replyId, { ...outcome, metadata });
  }

  /** Sends the replies the last barrier added, in order; an end replying with a streamed answer finishes it. */
  private deliver(run: RunCheckpoint): void {
    for (; this.delivered < run.replies.length; this.delivered++) {
      const reply = run.replies[this.delivered];
      if (!reply) continue;
      const source = [...this.streamed.values()].find((record) =>
        this.turn.ends.get(record.nodeId)?.includes(reply.nodeId),
      );
      if (source?.outcome && source.outcome.content === reply.text) {
        // Already on the user's screen: finished, never sent twice (also when several ends reply with it).
        this.finishStreamed(source, source.outcome);
        continue;
      }
      this.post(reply.text, reply.nodeId);
    }
  }

  private onEvent(event: PipelineEvent): void {
    if (event.type === 'node.skipped') this.settled.add(event.nodeId);
    else if (event.type === 'node.completed' || event.type === 'node.failed')
      this.histories.attemptEnded(event.nodeId, event.attempt, event.type === 'node.completed');
    // Version 1 chatbots keep exactly the events they always had.
    if (this.turn.schemaVersion === 2) this.host.emit(event);
  }

  private async onCheckpoint(run: RunCheckpoint): Promise<void> {
    for (const nodeId of Object.keys(run.nodes)) this.settled.add(nodeId);
    this.deliver(run);
    const { pipelines } = this.host;
    const historiesChanged = this.histories.apply(run.path.slice(this.applied));
    this.applied = run.path.length;
    // A version 1 run is never resumed (an interrupted v1 turn is closed on wake), so it is stored once, at its end:
    // 4 run rows and 9 node rows fewer per turn on the single-LLM path. Version 2 keeps one checkpoint per barrier.
    if (this.turn.schemaVersion === 1) return;
    if (historiesChanged) pipelines.saveRunHistories(this.runId, this.histories.appliedWrites());
    pipelines.saveRun(this.turnId, run, this.replyIds, this.host.clock.now(), this.savedNodes);
    this.savedReplies = this.replyIds.length;
  }

  /** Runs the pipeline for this turn and sends every message it makes. */
  async run(runInput: JsonValue): Promise<RunCheckpoint> {
    const { host, meta } = this;
    const participantKey = meta.participantId
      ? { teamId: meta.teamId, participantId: meta.participantId, chatbotId: meta.chatbotId }
      : null;
    const session = host.pipelines.sessionState();
    const resumeFrom = this.resumed?.checkpoint ?? undefined;
    // A resumed run carries its participant data (as of its last barrier) in its checkpoint.
    const participant = participantKey && !resumeFrom ? await loadParticipantData(host.env, participantKey) : {};
    const run = await runPipeline({
      pipeline: this.turn.pipeline,
      runId: this.runId,
      input: runInput,
      session,
      participant,
      ...(resumeFrom && { resumeFrom }),
      clock: this.runClock,
      signal: this.cancel,
      onEvent: (event) => this.onEvent(event),
      onCheckpoint: (checkpoint) => this.onCheckpoint(checkpoint),
      services: (nodeId, attempt) => this.services.forNode(nodeId, attempt),
    });
    // A cancelled or failed step gives up on calls still draining; their streamed text must be final first.
    await Promise.all(this.inFlight);
    await this.settle(run, session, participantKey);
    // The engine's last checkpoint is the finished run; stored again only if settling sent a reply after it.
    if (this.savedReplies !== this.replyIds.length)
      host.pipelines.saveRun(this.turnId, run, this.replyIds, host.clock.now(), this.savedNodes);
    return run;
  }

  private async settle(
    run: RunCheckpoint,
    session: Record<string, JsonValue>,
    participantKey: { teamId: string; participantId: string; chatbotId: string } | null,
  ): Promise<void> {
    const { host } = this;
    const succeeded = run.status === 'completed' || run.status === 'aborted';
    if (succeeded) {
      if (JSON.stringify(run.state.session) !== JSON.stringify(session))
        host.pipelines.setSessionState(run.state.session);
      if (participantKey && run.participantWrites?.length) {
        const writes = run.participantWrites.map(({ scope: _scope, ...write }) => write);
        await commitParticipantData(host.env, participantKey, run.runId, writes);
      }
      this.histories.commit();
      if (run.endConversation) host.endConversation();
      if (run.tags.length > 0) host.runTagged(run.runId, host.clock.now());
    }
    if (this.histories.appliedWrites().length > 0) host.pipelines.dropRunHistories(run.runId);
    const cancelled = failedReply({ code: 'cancelled', message: 'cancelled' }, '', {
      status: 'stopped',
      error: null,
      finishReason: 'cancelled',
    });
    const error = run.error;
    const nodeError = error?.nodeId ? this.errors.get(error.nodeId) : undefined;
    const v1Error: MessageError = nodeError ?? {
      code: error?.code ?? 'internal',
      message: error?.message ?? 'The reply could not be generated',
    };
    const failure = run.status === 'failed' ? failedReply(v1Error) : cancelled;
    for (const record of this.streamed.values()) this.finishStreamed(record, failure);
    const fallback = this.turn.pipeline.definition.settings.fallbackReply;
    const pipelineError = error && { nodeId: error.nodeId, code: error.code, message: error.message };
    if (run.status === 'failed') {
      if (fallback) this.post(fallback, null, { metadata: { pipelineError } });
      else if (!this.streamedFailed())
        this.post('', error?.nodeId ?? null, {
          ...failedReply(v1Error),
          metadata: pipelineErrorMeta(this.turn, pipelineError),
        });
    } else if (run.status === 'cancelled' && this.replyIds.length === 0) {
      this.post('', null, cancelled);
    } else if (run.status === 'completed' && this.replyIds.length === 0 && this.turn.schemaVersion === 1) {
      // v1 always answered with a message, even an empty one.
      this.post('', null);
    }
  }

  private streamedFailed(): boolean {
    return [...this.streamed.values()].some((record) => record.outcome?.status === 'error');
  }
}

function pipelineErrorMeta(turn: TurnPipeline, pipelineError: JsonValue): JsonObject {
  return turn.schemaVersion === 1 || pipelineError === null ? {} : { pipelineError };
}
