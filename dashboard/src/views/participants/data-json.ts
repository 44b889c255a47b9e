/** Participant data is edited as JSON text; only a JSON object is data (the API refuses anything else). */
export type ParsedData = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/** The API's cap per chatbot (worker/participant-data/apply-writes.ts), checked before sending. */
export const MAX_DATA_BYTES = 256 * 1024;

export function parseDataJson(text: string): ParsedData {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'Participant data must be a JSON object, like {"plan": "pro"}' };
  }
  const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
  if (bytes > MAX_DATA_BYTES) return { ok: false, message: `${bytes} bytes as JSON; at most ${MAX_DATA_BYTES}` };
  return { ok: true, value: value as Record<string, unknown> };
}
