import type { JsonObject } from '../../plugins/sdk/json.ts';
import type { ConversationStore } from './store.ts';

/**
 * Session state: the conversation's durable JSON object that pipeline runs read at their start and write at the end
 * of a successful run (docs/pipelines.md "State and merge rules"). Kept in the object's `meta` table under this key,
 * so it is stored, replayed and deleted with the conversation.
 */
export const SESSION_STATE_KEY = 'session_state';

export function readSessionState(store: ConversationStore): JsonObject {
  return store.getMeta<JsonObject>(SESSION_STATE_KEY) ?? {};
}

export function writeSessionState(store: ConversationStore, value: JsonObject): void {
  store.setMeta(SESSION_STATE_KEY, value);
}

/** A write through the API is refused while a turn runs: the run would overwrite it at its end, or read it half-way. */
export type SessionStateResult = { ok: true; value: JsonObject } | { ok: false; code: 'turn_running' | 'not_started' };
