import type { JsonValue } from '../../plugins/sdk/json.ts';
import type { Env } from '../env.ts';

/** Participant data belongs to a participant × chatbot of one team. */
export interface ParticipantDataKey {
  teamId: string;
  participantId: string;
  chatbotId: string;
}

/** One write of a pipeline run, as the engine records it (worker/pipelines/run-state.ts `StateWrite`). */
export type ParticipantDataWrite =
  | { key: string; op: 'set' | 'append'; value: JsonValue }
  | { key: string; op: 'increment'; by: number }
  | { key: string; op: 'delete' };

/** What a turn reads at the start of its run: one call to the object that owns the data, never D1. Placeholder. */
export async function loadParticipantData(_env: Env, _key: ParticipantDataKey): Promise<Record<string, JsonValue>> {
  return {};
}

/**
 * Applies a successful run's writes, in order, once: `runId` makes a retried commit a no-op. Concurrent runs of two
 * conversations of one participant both apply (increments add up). Placeholder.
 */
export async function commitParticipantData(
  _env: Env,
  _key: ParticipantDataKey,
  _runId: string,
  _writes: readonly ParticipantDataWrite[],
): Promise<Record<string, JsonValue>> {
  return {};
}
