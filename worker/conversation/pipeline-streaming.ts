import type { CompiledPipeline } from '../pipelines/compile.ts';

/**
 * The streaming rule (../shared/research/m2-architecture.md §1.4, docs/pipelines.md "Streaming"): an LLM node's
 * tokens stream live into a reply only when its output is certain to be the reply. Statically, its only successors
 * are end nodes that reply with it and take nothing else; at the moment it calls the model, every node not yet
 * settled (run or skipped) apart from it and those ends must be one that cannot reply. Otherwise it is buffered and
 * sent when a node replies with it.
 */

// Kinds that never send a message to the user (they only compute, route, write state or call out). Unknown kinds
// (code can abort with a message; a plugin may reply) are assumed to reply, which only costs streaming.
const SILENT_KINDS: ReadonlySet<string> = new Set([
  'start',
  'set_state',
  'static_router',
  'template',
  'end_conversation',
  'llm',
  'llm_router',
  'extract_structured',
  'update_participant_data',
  'http_request',
  'send_email',
]);

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
    return SILENT_KINDS.has(node.kind.id);
  });
}
