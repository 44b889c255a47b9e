import type { CodeSandbox } from '../../plugins/sdk/node/sandbox.ts';
import type { NodeServices } from '../../plugins/sdk/node/services.ts';
import { teamEmail } from '../email/team-email.ts';
import type { Env } from '../env.ts';
import type { KnowledgePins } from '../knowledge/pins/types.ts';
import type { CompiledPipeline } from '../pipelines/compile.ts';
import { pluginOfKind } from '../pipelines/kinds.ts';
import { openConfigsOf } from '../plugin-configs/store.ts';
import type { Clock } from '../ports/clock.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';
import { callToolDirectly } from '../tools/direct-call.ts';
import type { ConversationMeta } from './meta.ts';
import type { RunHistories } from './pipeline-history.ts';
import { RunKnowledge } from './pipeline-knowledge.ts';
import type { PipelineLlm } from './pipeline-llm.ts';

export interface TurnServicesHost {
  env: Env;
  meta: ConversationMeta;
  pipeline: CompiledPipeline;
  llm: PipelineLlm;
  histories: RunHistories;
  sandbox: CodeSandbox;
  clock: Clock;
  /** The version's knowledge pins from the conversation's meta (absent: drafts, the test chat). */
  pins: KnowledgePins | undefined;
}

/** The collection ids a pipeline's nodes reference (their kinds' `references()` of type `collection`). */
export function referencedCollections(pipeline: CompiledPipeline): string[] {
  return [
    ...new Set(
      pipeline.nodes.flatMap(
        (node) =>
          node.kind.references?.(node.settings).flatMap((ref) => (ref.type === 'collection' ? [ref.id] : [])) ?? [],
      ),
    ),
  ];
}

/** What each node of one run reaches beyond its inputs (NodeServices), on the conversation's team. */
export class TurnServices {
  readonly knowledge: RunKnowledge;
  private pluginConfigs: Promise<Map<string, Record<string, unknown>>> | undefined;

  constructor(private readonly host: TurnServicesHost) {
    this.knowledge = new RunKnowledge({
      env: host.env,
      teamId: host.meta.teamId,
      referenced: referencedCollections(host.pipeline),
      pins: host.pins,
    });
  }

  forNode(nodeId: string, attempt: number): NodeServices {
    const { host } = this;
    const { meta } = host;
    const kind = host.pipeline.nodes.find((node) => node.id === nodeId)?.kind.id ?? '';
    return {
      conversation: {
        teamId: meta.teamId,
        chatbotId: meta.chatbotId,
        conversationId: meta.conversationId,
        participantId: meta.participantId ?? null,
        channel: meta.channel?.pluginId ?? meta.surface ?? 'api',
      },
      llm: host.llm.forNode(nodeId),
      history: host.histories.forNode(nodeId, attempt),
      fetch: outboundFetch(host.env),
      pluginSettings: async () => {
        const pluginId = pluginOfKind(kind);
        if (!pluginId) return null;
        this.pluginConfigs ??= openConfigsOf(host.env, meta.teamId, 'node', [
          ...new Set(host.pipeline.nodes.map((node) => pluginOfKind(node.kind.id)).filter((id) => id !== undefined)),
        ]);
        return (await this.pluginConfigs).get(pluginId) ?? null;
      },
      email: teamEmail(host.env, meta.teamId),
      sandbox: host.sandbox,
      clock: host.clock,
      knowledge: this.knowledge,
      tools: {
        call: (request) =>
          callToolDirectly(
            {
              env: host.env,
              teamId: meta.teamId,
              chatbotId: meta.chatbotId,
              chatbotVersionId: meta.chatbotVersionId,
              conversationId: meta.conversationId,
              participantId: meta.participantId ?? null,
              clock: host.clock,
            },
            request,
          ),
      },
    };
  }
}
