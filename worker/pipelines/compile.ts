import type { PipelineDefinition, RetryPolicy } from './definition.ts';
import { DEFAULT_PORT, type NodeKind } from './node-kind.ts';
import { graphIssues, type KindRegistry, type PipelineIssue } from './validate.ts';

/** A validated definition with each node's kind, parsed settings and edges looked up once (cached per version). */
export interface CompiledNode {
  id: string;
  /** Position in `definition.nodes`: the order barriers apply writes in. */
  index: number;
  kind: NodeKind;
  settings: unknown;
  retry: RetryPolicy;
  timeoutMs: number;
  /** Indexes into `edges`, ascending: the order a node's inputs are handed to it. */
  incoming: number[];
}

export interface CompiledEdge {
  from: number;
  port: string;
  to: number;
}

export interface CompiledPipeline {
  definition: PipelineDefinition;
  nodes: CompiledNode[];
  edges: CompiledEdge[];
  start: number;
}

/** One attempt and no backoff unless the node asks: built-in kinds are pure, so retrying cannot help them. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 1, backoffMs: 1_000 };
// The research's default for a node (OCS's LLM timeout order of magnitude); a node can lower or raise it.
export const DEFAULT_TIMEOUT_MS = 60_000;

export class PipelineInvalidError extends Error {
  constructor(readonly issues: PipelineIssue[]) {
    super(`invalid pipeline: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    this.name = 'PipelineInvalidError';
  }
}

export function compilePipeline(definition: PipelineDefinition, kinds: KindRegistry): CompiledPipeline {
  const issues = graphIssues(definition, kinds);
  if (issues.length) throw new PipelineInvalidError(issues);
  const index = new Map(definition.nodes.map((node, i) => [node.id, i]));
  const edges = definition.edges.map((edge) => ({
    from: index.get(edge.from) ?? -1,
    port: edge.fromPort ?? DEFAULT_PORT,
    to: index.get(edge.to) ?? -1,
  }));
  const nodes = definition.nodes.map((node, i): CompiledNode => {
    const kind = kinds.get(node.kind);
    if (!kind) throw new Error(`unreachable: kind ${node.kind} passed validation`);
    return {
      id: node.id,
      index: i,
      kind,
      settings: kind.settings.parse(node.settings),
      retry: node.retry ?? DEFAULT_RETRY,
      timeoutMs: node.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      incoming: edges.flatMap((edge, j) => (edge.to === i ? [j] : [])),
    };
  });
  const start = nodes.findIndex((node) => node.kind.id === 'start');
  return { definition, nodes, edges, start };
}
