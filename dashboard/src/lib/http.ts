/**
 * The dashboard's HTTP client for the public REST API (`/api/v1`). It authenticates with the session cookie the
 * sign-in set (HttpOnly: scripts never see it), sends the session's CSRF token on every mutation, and names the team
 * the admin is working in with `X-Parley-Team`.
 */
import { signal } from '@preact/signals';

/** Every failed request, whether the API answered `{"error": {...}}`, something else, or nothing at all. */
export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const headers = { csrfToken: '', teamId: '' };

/** Set after sign-in and on every team switch. */
export function useCredentials(csrfToken: string, teamId: string): void {
  headers.csrfToken = csrfToken;
  headers.teamId = teamId;
}

/** Raised when a request answers 401: the session ended (signed out elsewhere, expired). The app shows sign-in. */
export const sessionLost = signal(0);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function errorFrom(status: number, statusText: string, body: unknown): ApiError {
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error) && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiError(status, error.code, error.message, error.details ?? null);
  }
  return new ApiError(status, `http_${status}`, `The server answered ${status} ${statusText}`.trim());
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Sign-in and the session check answer 401 as part of their flow; they must not bounce the app to sign-in. */
  quiet401?: boolean;
  /** Extra request headers (the pipeline editor's `If-Match` draft revision). */
  headers?: Record<string, string>;
}

/** Any request; JSON in, JSON out (null for 204). Throws ApiError. */
export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(method !== 'GET' && headers.csrfToken && { 'x-csrf-token': headers.csrfToken }),
      ...(headers.teamId && { 'x-parley-team': headers.teamId }),
      ...options.headers,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    ...(options.signal && { signal: options.signal }),
  };
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw new ApiError(0, 'network_error', 'Could not reach Parley. Check your connection and try again.');
  }
  if (response.status === 204) return null as T;
  let parsed: unknown = null;
  try {
    parsed = await response.json();
  } catch (cause) {
    // Cancelled while the body was read: the caller moved on, so it must not receive a half answer as `null`.
    if (options.signal?.aborted) throw cause;
    // Not JSON (a proxy error page, an empty body): reported below with the status alone.
  }
  if (!response.ok) {
    if (response.status === 401 && !options.quiet401) sessionLost.value++;
    throw errorFrom(response.status, response.statusText, parsed);
  }
  return parsed as T;
}

/** A POST answered with a stream (Server-Sent Events); throws ApiError for an error answer. */
export async function streamRequest(path: string, body: unknown): Promise<ReadableStream<Uint8Array>> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      accept: 'text/event-stream',
      'content-type': 'application/json',
      'x-csrf-token': headers.csrfToken,
      ...(headers.teamId && { 'x-parley-team': headers.teamId }),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok || !response.body) {
    let parsed: unknown = null;
    try {
      parsed = await response.json();
    } catch {
      // See request().
    }
    if (response.status === 401) sessionLost.value++;
    throw errorFrom(response.status, response.statusText, parsed);
  }
  return response.body;
}

export const get = <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options);
export const post = <T>(path: string, body: unknown = {}, options?: RequestOptions) =>
  request<T>('POST', path, body, options);
export const patch = <T>(path: string, body: unknown, options?: RequestOptions) =>
  request<T>('PATCH', path, body, options);
export const del = (path: string) => request<null>('DELETE', path);

/** `?a=1&b=2` from the set values of `params`, or an empty string. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Ends `text` with a full stop unless it already ends in punctuation, so messages can be followed by advice. */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The field-level problems of a 400 (`details: [{ field, message }]`), as "field: message". */
export function fieldProblems(error: ApiError): string[] {
  if (!Array.isArray(error.details)) return [];
  return error.details
    .filter(isRecord)
    .map((detail) => `${String(detail.field ?? '').replace(/^body\./, '')}: ${String(detail.message)}`);
}

/** A GET answered with a file (the conversation export): the whole body as a Blob; throws ApiError for an error. */
export async function download(path: string, options: RequestOptions = {}): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(path, {
      credentials: 'same-origin',
      headers: { ...(headers.teamId && { 'x-parley-team': headers.teamId }) },
      ...(options.signal && { signal: options.signal }),
    });
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw new ApiError(0, 'network_error', 'Could not reach Parley. Check your connection and try again.');
  }
  if (!response.ok) {
    let parsed: unknown = null;
    try {
      parsed = await response.json();
    } catch {
      // See request().
    }
    if (response.status === 401) sessionLost.value++;
    throw errorFrom(response.status, response.statusText, parsed);
  }
  return response.blob();
}

/**
 * Sends a file as the raw request body (the knowledge upload and replace routes) and reports the bytes sent:
 * `fetch` has no upload progress events, XMLHttpRequest does. JSON in the answer, ApiError on failure, like request().
 */
export function sendFile<T>(
  method: 'POST' | 'PUT',
  path: string,
  file: Blob,
  onProgress: (sent: number, total: number) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    // The server reads the format from the type, the name (?filename=) or the bytes; an unknown type says nothing.
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    if (headers.csrfToken) xhr.setRequestHeader('x-csrf-token', headers.csrfToken);
    if (headers.teamId) xhr.setRequestHeader('x-parley-team', headers.teamId);
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onerror = () =>
      reject(new ApiError(0, 'network_error', 'Could not reach Parley. Check your connection and try again.'));
    xhr.onload = () => {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        // See request().
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(parsed as T);
      if (xhr.status === 401) sessionLost.value++;
      reject(errorFrom(xhr.status, xhr.statusText, parsed));
    };
    xhr.send(file);
  });
}
