/**
 * Byte-level pieces of the Claude API wire format shared by the fake: error bodies, SSE frames and ids.
 * Shapes follow platform.claude.com/docs/en/api/errors and /docs/en/build-with-claude/streaming.
 */
import { createHash } from 'node:crypto';

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

/** An HTTP error answer: status, the body's `error.type` and `error.message`, and any extra headers. */
export interface ApiError {
  status: number;
  type: ErrorType;
  message: string;
  headers?: Record<string, string>;
}

export const apiError = (status: number, type: ErrorType, message: string, headers?: Record<string, string>) =>
  headers ? { status, type, message, headers } : { status, type, message };

export const invalidRequest = (message: string): ApiError => apiError(400, 'invalid_request_error', message);

/** The error body every endpoint returns: `{"type":"error","error":{"type","message"},"request_id"}`. */
export function errorBody(error: ApiError, requestId: string): string {
  return JSON.stringify({ type: 'error', error: { type: error.type, message: error.message }, request_id: requestId });
}

/** One server-sent event: a named event whose data is the same JSON with a matching `type`. */
export interface Frame {
  event: string;
  data: Record<string, unknown>;
}

/** `event: <name>\ndata: <json>\n\n`, compact JSON on one line as the API sends it. */
export function encodeFrame(frame: Frame): string {
  return `event: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`;
}

/** A deterministic id with the API's prefix, so the same request always streams the same bytes. */
export function stableId(prefix: 'msg' | 'toolu', seed: string): string {
  const digest = createHash('sha256').update(seed).digest('base64url').replace(/[-_]/g, '');
  return `${prefix}_01${digest.slice(0, 22)}`;
}

let requestCounter = 0;

/** A fresh `request-id` for a response header and error body (`req_…`). */
export function nextRequestId(): string {
  requestCounter += 1;
  return `req_011Fake${String(requestCounter).padStart(14, '0')}`;
}

/** Words with the whitespace that follows each, so the pieces join back into the exact text. */
export function words(text: string): string[] {
  return text.trimStart().match(/\S+\s*/g) ?? [];
}
