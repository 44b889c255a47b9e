import type { CompiledPipeline } from '../pipelines/compile.ts';

/**
 * The streaming rule (../shared/research/m2-architecture.md §1.4, docs/pipelines.md "Streaming"): an LLM node's
 * tokens stream live into a reply only when its output is certain to be the reply. Statically, its only successors
 * are end nodes that reply with it and take nothing else; at the moment it calls the model, every node not yet
 * settled (run or skipped) apart from it and those ends must be one that cannot reply. Otherwise it is buffered and
 * sent when a node replies with it.
 */

// A kind says it never sends a message with `silent: true` (plugins/sdk/node/kind.ts; the node contract checks it).
// Kinds that do not (code can abort with a message; reply replies) are assumed to reply, which only costs streaming.

/** For each streaming-capable node whose successors are only end nodes replying with it: those ends. */
export function replyEnds(pipeline: CompiledPipeline): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const node of pipeline.nodes) {
    if (!node.kind.streams) continue;
    const outgoing = pipeline.edges.filter((edge) => edge.from === node.index);
    const targets = [...new Set(outgoing.map((edge) => edge.to))].map((to) => pipeline.nodes[to]);
    const ok =
      targets.length > 0 &&
      targets.every(
        (target) =>
          target !== undefined &&
          target.kind.id === 'end' &&
          (target.settings as { reply?: boolean }).reply !== false &&
          target.incoming.every((edge) => pipeline.edges[edge]?.from === node.index),
      );
    if (ok)
      result.set(
        node.id,
        targets.map((target) => target?.id ?? ''),
      );
  }
  return result;
}

/** Whether `nodeId` may stream now, given the nodes already settled in this run. */
export function streamsNow(
  pipeline: CompiledPipeline,
  ends: ReadonlyMap<string, readonly string[]>,
  nodeId: string,
  settled: ReadonlySet<string>,
): boolean {
  const own = ends.get(nodeId);
  if (!own) return false;
  return pipeline.nodes.every((node) => {
    if (node.id === nodeId || own.includes(node.id) || settled.has(node.id)) return true;
    if (node.kind.id === 'end') return (node.settings as { reply?: boolean }).reply === false;
    return node.kind.id === 'start' || node.kind.silent === true;
  });
}
