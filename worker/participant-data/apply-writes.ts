import type { JsonObject } from '../../plugins/sdk/json.ts';
import { MAX_STATE_BYTES } from '../pipelines/barrier.ts';
import { applyWrite } from '../pipelines/run-state.ts';
import type { DataRefusal, ParticipantDataWrite } from './types.ts';

/** The engine's bound on participant data (worker/pipelines/barrier.ts): one chatbot's data as JSON, in bytes. */
export const MAX_PARTICIPANT_CHATBOT_DATA_BYTES = MAX_STATE_BYTES;

export type ApplyResult = { ok: true; data: JsonObject } | { ok: false; refusal: DataRefusal };

const encoder = new TextEncoder();

/**
 * A run's writes on a copy of `current`, in order, with the engine's merge rules (worker/pipelines/run-state.ts
 * applyWrite: set replaces, append adds to a list, increment adds to a number, delete removes). All or nothing: a
 * write that cannot apply (increment of a text) or a result past the cap leaves the stored data as it was.
 */
export function applyParticipantWrites(current: JsonObject, writes: readonly ParticipantDataWrite[]): ApplyResult {
  const next: JsonObject = structuredClone(current);
  for (const write of writes) {
    const error = applyWrite(next, { ...write, scope: 'participant' });
    if (error) return { ok: false, refusal: { code: 'invalid_write', message: error } };
  }
  return capped(next);
}

/** `data` if its JSON fits the cap, else the refusal naming its size. */
export function capped(data: JsonObject): ApplyResult {
  const json = JSON.stringify(data);
  // JSON is at most 3 bytes per UTF-16 unit, so most values skip the encoding.
  const bytes = json.length * 3 <= MAX_PARTICIPANT_CHATBOT_DATA_BYTES ? json.length : encoder.encode(json).length;
  if (bytes > MAX_PARTICIPANT_CHATBOT_DATA_BYTES) {
    return {
      ok: false,
      refusal: {
        code: 'too_large',
        message: `participant data would be ${bytes} bytes as JSON; at most ${MAX_PARTICIPANT_CHATBOT_DATA_BYTES}`,
      },
    };
  }
  return { ok: true, data };
}
