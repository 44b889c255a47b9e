import type { JsonObject, JsonValue } from '../../plugins/sdk/json.ts';

/** Why a change was refused; the API answers 400 with it, a commit throws a NodeError with its message. */
export interface DataRefusal {
  code: 'too_large' | 'invalid_write';
  message: string;
}

/** Participant data belongs to a participant × chatbot of one team. */
export interface ParticipantDataKey {
  teamId: string;
  participantId: string;
  chatbotId: string;
}

/** The participant whose object is addressed: one object per team × participant. */
export type ParticipantRef = Pick<ParticipantDataKey, 'teamId' | 'participantId'>;

/** One write of a pipeline run, as the engine records it (worker/pipelines/run-state.ts `StateWrite`). */
export type ParticipantDataWrite =
  | { key: string; op: 'set' | 'append'; value: JsonValue }
  | { key: string; op: 'increment'; by: number }
  | { key: string; op: 'delete' };

/** One chatbot's data as the object holds it; `updatedAt` is null for a chatbot that never stored any. */
export interface ChatbotData {
  chatbotId: string;
  data: JsonObject;
  updatedAt: number | null;
}

export type ChangeResult = { ok: true; value: ChatbotData; applied: boolean } | { ok: false; refusal: DataRefusal };

/**
 * What callers may ask of a participant object. Declared here rather than picked from the class so callers name no
 * composition root; ParticipantDO `implements` it. Errors come back as values: a thrown error loses its class over
 * RPC, and a refusal must reach the API as a 400 and the engine as a NodeError.
 */
export interface ParticipantRpc {
  /** One chatbot's data ({} when none). */
  chatbotData(key: ParticipantDataKey): Promise<ChatbotData>;
  /** Every chatbot's data this participant has, by chatbot id. */
  allData(ref: ParticipantRef): Promise<ChatbotData[]>;
  /** Applies `writes` in order, all or nothing; with a `runId` seen before, applies nothing (`applied: false`). */
  applyWrites(key: ParticipantDataKey, writes: readonly ParticipantDataWrite[], runId?: string): Promise<ChangeResult>;
  /** Replaces the chatbot's data whole. */
  replaceData(key: ParticipantDataKey, data: JsonObject): Promise<ChangeResult>;
  /** Removes the chatbot's data (and, through the outbox, its D1 copy). */
  resetData(key: ParticipantDataKey): Promise<{ existed: boolean }>;
  /** Team deletion: cancels the alarm and erases all of the object's storage (worker/team-deletion/objects.ts). */
  erase(): Promise<void>;
}
