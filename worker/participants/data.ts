import type { JsonObject } from '../../plugins/sdk/json.ts';
import { ApiError } from '../http/errors.ts';

/** Custom participant data is capped so that it fits comfortably in prompts and list pages. */
export const MAX_PARTICIPANT_DATA_BYTES = 16 * 1024;

/**
 * Shallow merge, like a JSON Merge Patch one level deep: each top-level key sent replaces the stored value, a key
 * sent as `null` is removed, keys not sent are kept. Integrations can then update one field without reading first.
 */
export function mergeParticipantData(stored: JsonObject, patch: Record<string, unknown>): JsonObject {
  const merged: JsonObject = { ...stored };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    // The body came from JSON.parse, so every value is JSON.
    else merged[key] = value as JsonObject[string];
  }
  const bytes = new TextEncoder().encode(JSON.stringify(merged)).length;
  if (bytes > MAX_PARTICIPANT_DATA_BYTES) {
    throw new ApiError(400, 'invalid_request', 'Invalid body.data', [
      { field: 'body.data', message: `data would be ${bytes} bytes as JSON; at most ${MAX_PARTICIPANT_DATA_BYTES}` },
    ]);
  }
  return merged;
}
