import type { CompiledNode } from './compile.ts';
import type { NodeOutcome } from './node-runner.ts';
import type { RunCheckpoint, RunError } from './run-record.ts';
import { MAX_TAGS, mergeStep, type NodeEffects } from './run-state.ts';

// Session state and participant data are stored whole in one row each (a DO row holds at most 2 MB; participant
// data is also encrypted and mirrored to D1), so a run may not grow either past this.
export const MAX_STATE_BYTES = 256 * 1024;

/**
 * The barrier: node records, replies, tags, "end conversation" and state writes of one superstep, in definition
 * order. A step in which a node failed applies no effects at all (the run ends with the state of the last barrier);
 * a step with an abort applies its completed nodes' effects and then the abort message as the last reply.
 */
export function applyStep(run: RunCheckpoint, ready: CompiledNode[], outcomes: NodeOutcome[]): RunError | null {
  const failed = outcomes.some((outcome) => outcome.status === 'failed');
  const merged: { nodeId: string; effects: NodeEffects }[] = [];
  for (const [i, node] of ready.entries()) {
    const outcome = outcomes[i];
    if (outcome?.status === 'completed') {
      run.nodes[node.id] = { status: 'completed', output: outcome.output, port: outcome.port };
      run.path.push(node.id);
      if (!failed) merged.push({ nodeId: node.id, effects: outcome.effects });
    } else if (outcome?.status === 'failed') run.nodes[node.id] = { status: 'failed' };
    else if (outcome?.status === 'aborted') run.nodes[node.id] = { status: 'aborted', message: outcome.message };
  }
  if (failed) return null;
  for (const conflict of mergeStep(run.state, merged)) run.conflicts.push({ ...conflict, superstep: run.superstep });
  for (const { effects } of merged) {
    const writes = effects.writes.filter((write) => write.scope === 'participant');
    if (writes.length > 0) run.participantWrites = [...(run.participantWrites ?? []), ...writes];
  }
  for (const { nodeId, effects } of merged) {
    for (const text of effects.replies) run.replies.push({ nodeId, text });
    for (const tag of effects.tags) {
      const sameScope = run.tags.filter((known) => known.scope === tag.scope);
      // Beyond MAX_TAGS per scope a tag is dropped (first writers kept), as a message holds at most that many.
      if (sameScope.length < MAX_TAGS && !sameScope.some((known) => known.name === tag.name))
        run.tags.push({ nodeId, ...tag });
    }
    if (effects.end && !run.endConversation) run.endConversation = { nodeId, reason: effects.end.reason };
  }
  for (const [i, node] of ready.entries()) {
    const outcome = outcomes[i];
    if (outcome?.status === 'aborted') run.replies.push({ nodeId: node.id, text: outcome.message });
  }
  for (const scope of ['session', 'participant'] as const) {
    const bytes = new TextEncoder().encode(JSON.stringify(run.state[scope])).length;
    if (bytes <= MAX_STATE_BYTES) continue;
    const writer = merged.findLast(({ effects }) => effects.writes.some((write) => write.scope === scope));
    const message = `${scope} state would grow to ${bytes} bytes (at most ${MAX_STATE_BYTES})`;
    return { nodeId: writer?.nodeId ?? null, code: 'invalid_state', message };
  }
  return null;
}
