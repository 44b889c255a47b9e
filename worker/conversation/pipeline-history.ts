import type { ChatMessage } from '../../plugins/sdk/index.ts';
import type { NodeHistory } from '../../plugins/sdk/node/services.ts';
import type { Env } from '../env.ts';
import { withImages } from './images.ts';
import type { ConversationMeta } from './meta.ts';
import type { HistoryWrites, PipelineStore } from './pipeline-store.ts';
import type { ConversationMessage } from './protocol.ts';
import type { ConversationStore } from './store.ts';

const attemptKey = (nodeId: string, attempt: number) => `${nodeId}#${attempt}`;

/**
 * The histories of one run. The conversation comes from the store (images attached as stored); named histories and
 * summaries from the pipeline tables. Their writes follow the state rules (docs/pipelines.md "State and merge
 * rules"): each node attempt buffers its own; an attempt that fails, times out or is cancelled loses them (so a
 * retried node never appends twice, and a write made after its attempt ended is dropped); a completed node's writes
 * are applied at the barrier in path order, visible to later nodes, kept in the checkpoint (`applied`, so a resumed
 * run still has them) and written to the tables only when the run succeeds (`commit`).
 */
export class RunHistories {
  private readonly attempts = new Map<string, HistoryWrites>();
  /** Attempts that are over: nothing they write afterwards counts. */
  private readonly closed = new Set<string>();
  /** The completed attempt of each node, until its barrier applies it. */
  private readonly completed = new Map<string, HistoryWrites>();
  private readonly applied: HistoryWrites[] = [];
  private conversationCache: Map<boolean, Promise<ChatMessage[]>> = new Map();

  constructor(
    private readonly input: {
      env: Env;
      store: ConversationStore;
      pipelines: PipelineStore;
      meta: ConversationMeta;
      turnId: string;
      /** Whether the node's provider takes images (a node without a provider gets image notes). */
      vision(nodeId: string): Promise<boolean>;
    },
  ) {}

  /** The writes of a resumed run's applied nodes, as `appliedWrites` returned them before the interruption. */
  restore(applied: readonly HistoryWrites[]): void {
    this.applied.push(...applied);
  }

  /** The writes applied so far, in order (stored with the checkpoint; empty for runs that keep no history). */
  appliedWrites(): readonly HistoryWrites[] {
    return this.applied;
  }

  /** The messages v1 showed the model: finished user and assistant messages, failed replies left out. */
  private usable(): ConversationMessage[] {
    return this.input.store
      .historyFor(this.input.turnId)
      .filter((message) => message.role === 'user' || message.status === 'complete' || message.status === 'stopped');
  }

  private conversation(vision: boolean): Promise<ChatMessage[]> {
    let cached = this.conversationCache.get(vision);
    if (!cached) {
      const { env, meta, store, turnId } = this.input;
      cached = withImages(this.usable(), {
        vision,
        files: { bucket: env.FILES, teamId: meta.teamId, conversationId: meta.conversationId },
      }).then((messages) => {
        // A triggered turn has no user message: the instruction takes its place for the model.
        const instruction = store.turnInstruction(turnId);
        return instruction === null ? messages : [...messages, { role: 'user' as const, content: instruction }];
      });
      this.conversationCache.set(vision, cached);
    }
    return cached.then((messages) => [...messages]);
  }

  /** The writes an attempt may still make, or undefined once it is over. */
  private open(nodeId: string, attempt: number): HistoryWrites | undefined {
    const key = attemptKey(nodeId, attempt);
    if (this.closed.has(key)) return undefined;
    let writes = this.attempts.get(key);
    if (!writes) {
      writes = { nodeId, appends: [], summaries: [] };
      this.attempts.set(key, writes);
    }
    return writes;
  }

  forNode(nodeId: string, attempt: number): NodeHistory {
    const own = () => this.attempts.get(attemptKey(nodeId, attempt));
    return {
      conversation: async () => this.conversation(await this.input.vision(nodeId)),
      named: async (name) => [
        ...this.input.pipelines.history(name),
        ...[...this.applied, ...(own() ? [own() as HistoryWrites] : [])].flatMap((writes) =>
          writes.appends.flatMap(([target, messages]) => (target === name ? messages : [])),
        ),
      ],
      append: (name, messages) => {
        const copy = messages.map((message) => ({ role: message.role, content: message.content }) as ChatMessage);
        this.open(nodeId, attempt)?.appends.push([name, copy]);
      },
      summary: async (name) => {
        const writes = [...this.applied, ...(own() ? [own() as HistoryWrites] : [])];
        const latest = writes.flatMap((entry) => entry.summaries).findLast(([target]) => target === name);
        return latest ? { ...latest[1] } : this.input.pipelines.summary(name);
      },
      setSummary: (name, summary) => {
        this.open(nodeId, attempt)?.summaries.push([name, { ...summary }]);
      },
    };
  }

  /** An attempt ended: a completed one waits for its barrier, any other loses what it wrote. */
  attemptEnded(nodeId: string, attempt: number, completed: boolean): void {
    const key = attemptKey(nodeId, attempt);
    this.closed.add(key);
    const writes = this.attempts.get(key);
    this.attempts.delete(key);
    if (completed && writes && (writes.appends.length > 0 || writes.summaries.length > 0))
      this.completed.set(nodeId, writes);
  }

  /** A barrier applied these nodes (in path order): their writes become the run's. */
  apply(nodeIds: readonly string[]): boolean {
    let changed = false;
    for (const nodeId of nodeIds) {
      const writes = this.completed.get(nodeId);
      if (!writes) continue;
      this.completed.delete(nodeId);
      this.applied.push(writes);
      changed = true;
    }
    return changed;
  }

  /** The run succeeded: its applied appends and summaries are kept, in the order they were applied. */
  commit(): void {
    for (const writes of this.applied) {
      for (const [name, messages] of writes.appends) this.input.pipelines.appendHistory(name, messages);
      for (const [name, summary] of writes.summaries) this.input.pipelines.setSummary(name, summary);
    }
  }
}
