import type { ChatMessage, HistorySummary } from '../../plugins/sdk/index.ts';
import type { NodeHistory } from '../../plugins/sdk/node/services.ts';
import type { Env } from '../env.ts';
import { withImages } from './images.ts';
import type { ConversationMeta } from './meta.ts';
import type { PipelineStore } from './pipeline-store.ts';
import type { ConversationMessage } from './protocol.ts';
import type { ConversationStore } from './store.ts';

/**
 * The histories of one run. The conversation comes from the store (images attached as stored); named histories and
 * summaries from the pipeline tables, with this run's own appends visible to its later nodes and written only when
 * the run succeeds (`commit`).
 */
export class RunHistories {
  private readonly appends = new Map<string, ChatMessage[]>();
  private readonly summaries = new Map<string, HistorySummary>();
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

  forNode(nodeId: string): NodeHistory {
    return {
      conversation: async () => this.conversation(await this.input.vision(nodeId)),
      named: async (name) => [...this.input.pipelines.history(name), ...(this.appends.get(name) ?? [])],
      append: (name, messages) => {
        this.appends.set(name, [
          ...(this.appends.get(name) ?? []),
          ...messages.map((message) => ({ role: message.role, content: message.content }) as ChatMessage),
        ]);
      },
      summary: async (name) => this.summaries.get(name) ?? this.input.pipelines.summary(name),
      setSummary: (name, summary) => {
        this.summaries.set(name, { ...summary });
      },
    };
  }

  /** The run succeeded: its appends and summaries are kept. */
  commit(): void {
    for (const [name, messages] of this.appends) this.input.pipelines.appendHistory(name, messages);
    for (const [name, summary] of this.summaries) this.input.pipelines.setSummary(name, summary);
  }
}
