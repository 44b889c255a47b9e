import type { JsonObject } from '../../plugins/sdk/json.ts';
import { type SecretBox, secretContext } from '../security/secrets.ts';
import type { ParticipantDataKey } from './types.ts';

/**
 * Participant data at rest, in the object's SQLite and in D1: one AES-GCM ciphertext under ENCRYPTION_KEY
 * (worker/security/secrets.ts; there is no per-team key derivation), bound as additional data to team, participant
 * and chatbot, so a value copied to another row, participant or team fails to open.
 */
export const participantDataContext = (key: ParticipantDataKey) =>
  secretContext(key.teamId, 'participant-data', `${key.participantId}:${key.chatbotId}`);

export const sealParticipantData = (box: SecretBox, key: ParticipantDataKey, data: JsonObject) =>
  box.sealJson(data, participantDataContext(key));

export async function openParticipantData(
  box: SecretBox,
  key: ParticipantDataKey,
  sealed: string,
): Promise<JsonObject> {
  return (await box.openJson(sealed, participantDataContext(key))) as JsonObject;
}
