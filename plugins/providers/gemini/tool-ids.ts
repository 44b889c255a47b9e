/**
 * Ids for Gemini function calls. The Gemini API leaves `FunctionCall.id` unset (it is a Vertex AI feature), but Parley
 * pairs tool results with calls by id, so calls without one get an id made from the response id and the call's
 * position: stable for a given response, unique across responses. Made-up ids are never sent back to the API.
 */
const GENERATED = 'gemini-call-';

export function toolCallId(apiId: string | undefined, responseId: string | undefined, index: number): string {
  return apiId || `${GENERATED}${responseId ?? 'response'}-${index}`;
}

/** The id the API gave the call, if it gave one. */
export function apiCallId(id: string): string | undefined {
  return id.startsWith(GENERATED) ? undefined : id;
}
