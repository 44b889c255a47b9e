/** A V8 CPU profile as `wrangler check startup` writes it. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The CPU time of a startup profile: the sampled time not spent idle (each sample's preceding time delta, in ms).
 * The profile's wall span also holds the time workerd waits before and after evaluating the script.
 */
export function startupCpuMs(profile: CpuProfile): number {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  let micros = 0;
  profile.samples.forEach((node, i) => {
    if (!idle.has(node)) micros += profile.timeDeltas[i] ?? 0;
  });
  return micros / 1000;
}
