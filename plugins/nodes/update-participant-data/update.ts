import {
  credentialReferences,
  DEFAULT_LLM_CALL,
  DEFAULT_PORT,
  defineNodeKind,
  extract,
  type JsonObject,
} from '../../sdk/index.ts';
import { updateParticipantDataSettings } from './settings.ts';

/** The participant-data keys the schema describes, with their current values (what the model is shown). */
function knownData(all: Readonly<Record<string, unknown>>, schema: Record<string, unknown>): JsonObject {
  const properties = schema.properties as Record<string, unknown>;
  const known: JsonObject = {};
  for (const name of Object.keys(properties)) {
    const value = all[name];
    if (value !== undefined) known[name] = value as JsonObject[string];
  }
  return known;
}

export const updateParticipantDataKind = defineNodeKind({
  id: 'update_participant_data',
  displayName: 'Update participant data',
  description:
    "The model reads the node input (or the latest conversation), is shown the participant's current data for the schema's keys, and answers JSON valid against the schema; each top-level key is merged into participant data (null deletes the key).",
  settings: updateParticipantDataSettings,
  defaults: {
    ...DEFAULT_LLM_CALL,
    schema: { type: 'object', properties: { name: { type: 'string', description: "The user's name" } } },
  },
  inputs: 'the text to read (other values are read as JSON); unused with source conversation',
  output: 'the extracted JSON object (null values included), as merged into participant data',
  acceptsInput: true,
  ports: () => [DEFAULT_PORT],
  routes: false,
  silent: true,
  references: credentialReferences,
  async run(ctx) {
    const known = knownData(ctx.state.all('participant'), ctx.settings.schema);
    const data = await extract(ctx, known);
    // Merge rule: per top-level key; a value replaces the stored one whole (objects and lists are not merged
    // deeper), null deletes the key, and keys the answer leaves out are untouched.
    for (const [key, value] of Object.entries(data)) {
      if (value === null) ctx.state.delete('participant', key);
      else ctx.state.set('participant', key, value);
    }
    return data;
  },
});
