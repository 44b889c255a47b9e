import type { HostTool, JsonObject, JsonValue } from '../../../plugins/sdk/index.ts';
import { participantStub } from '../../participant-data/client.ts';
import type { ParticipantDataKey, ParticipantDataWrite } from '../../participant-data/types.ts';
import type { HostTurnContext } from '../tool-source.ts';

/** Key length, as the participant data API accepts it (worker/participant-data/schemas.ts DataBody). */
const MAX_KEY_CHARS = 200;
/** Keys per update: one call of the model sets a handful; the whole data stays ≤ 256 KB (the object refuses more). */
const MAX_KEYS_PER_UPDATE = 50;

const key = { type: 'string', minLength: 1, maxLength: MAX_KEY_CHARS };

/**
 * The built-in `participant_data` set: reads and writes this participant's data with this chatbot, in their
 * ParticipantDO (worker/participant-data/), and nothing else — no other chatbot's data, no other participant's.
 */
export function participantDataTools(turn: HostTurnContext): HostTool[] {
  const { env, teamId, chatbotId, participantId } = turn;
  const dataKey: ParticipantDataKey | null = participantId ? { teamId, participantId, chatbotId } : null;
  const noParticipant = { error: 'this conversation has no participant to store data for' };
  const apply = async (writes: ParticipantDataWrite[]): Promise<JsonValue> => {
    if (!dataKey) return noParticipant;
    const result = await participantStub(env, dataKey).applyWrites(dataKey, writes);
    return result.ok ? { data: result.value.data } : { error: result.refusal.message };
  };
  return [
    {
      name: 'get_participant_data',
      description: 'Read what this chatbot has stored about the user (one JSON object).',
      parameters: { type: 'object', properties: {}, additionalProperties: false },
      run: async () => {
        if (!dataKey) return noParticipant;
        return { data: (await participantStub(env, dataKey).chatbotData(dataKey)).data };
      },
    },
    {
      name: 'update_participant_data',
      description: 'Set keys of what this chatbot stores about the user (other keys are kept).',
      parameters: {
        type: 'object',
        properties: {
          values: {
            type: 'object',
            minProperties: 1,
            maxProperties: MAX_KEYS_PER_UPDATE,
            propertyNames: key,
            description: 'The keys to set and their new values',
          },
        },
        required: ['values'],
        additionalProperties: false,
      },
      run: async (args) =>
        apply(Object.entries(args.values as JsonObject).map(([k, value]) => ({ key: k, op: 'set', value }))),
    },
    {
      name: 'append_participant_data',
      description: 'Append a value to a list stored about the user (the list is created when missing).',
      parameters: {
        type: 'object',
        properties: { key, value: { description: 'The value to append' } },
        required: ['key', 'value'],
        additionalProperties: false,
      },
      run: async (args) => apply([{ key: String(args.key), op: 'append', value: args.value ?? null }]),
    },
  ];
}
