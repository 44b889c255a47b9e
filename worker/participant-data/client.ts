import type { JsonValue } from '../../plugins/sdk/json.ts';
import { NodeError } from '../../plugins/sdk/node/kind.ts';
import type { Env } from '../env.ts';
import type { ParticipantDataKey, ParticipantDataWrite, ParticipantRef, ParticipantRpc } from './types.ts';

export type { ParticipantDataKey, ParticipantDataWrite } from './types.ts';

/**
 * The participant's object, one per team × participant (worker/participant-data/participant-do.ts). The cast names
 * the RPC surface: Env types no namespace by its class (worker/env.ts).
 */
export function participantStub(env: Env, ref: ParticipantRef): ParticipantRpc {
  const name = `${ref.teamId}:${ref.participantId}`;
  return env.PARTICIPANTS.get(env.PARTICIPANTS.idFromName(name)) as unknown as ParticipantRpc;
}

/** What a turn reads at the start of its run: one call to the object that owns the data, never D1. */
export async function loadParticipantData(env: Env, key: ParticipantDataKey): Promise<Record<string, JsonValue>> {
  return (await participantStub(env, key).chatbotData(key)).data;
}

/**
 * Applies a successful run's writes, in order, once: `runId` makes a retried commit a no-op. Concurrent runs of two
 * conversations of one participant both apply (increments add up). All or nothing: writes that cannot apply (an
 * increment of a text another run stored meanwhile) or data past 256 KB as JSON throw a NodeError and change nothing.
 * Returns the data as stored after the commit.
 */
export async function commitParticipantData(
  env: Env,
  key: ParticipantDataKey,
  runId: string,
  writes: readonly ParticipantDataWrite[],
): Promise<Record<string, JsonValue>> {
  const stub = participantStub(env, key);
  if (writes.length === 0) return (await stub.chatbotData(key)).data;
  const result = await stub.applyWrites(key, writes, runId);
  if (!result.ok) throw new NodeError(result.refusal.message);
  return result.value.data;
}
