import { ID_ALPHABET } from '../ids.ts';
import type { RunCheckpoint } from '../pipelines/run-record.ts';

/** A run cut off by an eviction, continued by a new instance from its last checkpoint (turns.ts). */
export interface ResumedRun {
  /** The base of the run's reply ids (and of its run id). */
  base: string;
  /** Null when the run was cut off before its first barrier: it starts again, under the same ids. */
  checkpoint: RunCheckpoint | null;
  replyIds: string[];
}

/** The base of a run's ids, from its run id: `run_<x>` belongs to replies `msg_<x>` (replyMessageId). */
export const runBase = (runId: string) => `msg_${runId.slice(4)}`;

/** Reply `index` of the run whose ids start from `base`: deterministic, so a resumed run re-sends nothing. */
export function replyMessageId(base: string, index: number): string {
  return `${base.slice(0, -2)}${ID_ALPHABET[(index >> 5) % 32]}${ID_ALPHABET[index % 32]}`;
}
