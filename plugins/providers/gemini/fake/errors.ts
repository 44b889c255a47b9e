/**
 * Error bodies of the fake Gemini API, in the shape the real one sends: a `google.rpc.Status` wrapped in `error`
 * (https://ai.google.dev/api/rest, https://cloud.google.com/apis/design/errors#http_mapping), pretty-printed
 * with two spaces as Google front ends do. Messages are copied from real responses.
 */

export interface FakeError {
  status: number;
  headers?: Record<string, string>;
  body: { error: { code: number; message: string; status: string; details?: Record<string, unknown>[] } };
}

function status(code: number, grpcStatus: string, message: string, details?: Record<string, unknown>[]): FakeError {
  return { status: code, body: { error: { code, message, status: grpcStatus, ...(details ? { details } : {}) } } };
}

const SERVICE = 'generativelanguage.googleapis.com';

export function invalidArgument(message: string): FakeError {
  return status(400, 'INVALID_ARGUMENT', message);
}

/** A wrong key is a 400, not a 401: the API checks keys as request arguments (ErrorInfo reason API_KEY_INVALID). */
export function apiKeyInvalid(): FakeError {
  const message = 'API key not valid. Please pass a valid API key.';
  return status(400, 'INVALID_ARGUMENT', message, [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'API_KEY_INVALID',
      domain: 'googleapis.com',
      metadata: { service: SERVICE },
    },
    { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
  ]);
}

/** No key at all. */
export function unregisteredCaller(): FakeError {
  return status(
    403,
    'PERMISSION_DENIED',
    "Method doesn't allow unregistered callers (callers without established identity)." +
      ' Please use API Key or other form of API consumer identity to call this API.',
  );
}

/** What the API answers to a rejected OAuth credential (`Authorization: Bearer …`), the only way to get a 401. */
export function unauthenticated(): FakeError {
  return status(
    401,
    'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid' +
      ' authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  );
}

export function notFound(message: string): FakeError {
  return status(404, 'NOT_FOUND', message);
}

/**
 * Quota exceeded. The real API states the wait in a `google.rpc.RetryInfo` detail; the fake can also send the HTTP
 * `Retry-After` header (RFC 9110 §10.2.3), which proxies in front of it add.
 */
export function resourceExhausted(retryDelaySeconds: number, retryAfterHeader: boolean): FakeError {
  const error = status(
    429,
    'RESOURCE_EXHAUSTED',
    'You exceeded your current quota, please check your plan and billing details. For more information on this' +
      ` error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. Please retry in ${retryDelaySeconds}s.`,
    [
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [
          {
            quotaMetric: `${SERVICE}/generate_content_free_tier_requests`,
            quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
            quotaValue: '10',
          },
        ],
      },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryDelaySeconds}s` },
    ],
  );
  if (retryAfterHeader) error.headers = { 'retry-after': String(retryDelaySeconds) };
  return error;
}

export function internal(): FakeError {
  return status(
    500,
    'INTERNAL',
    'An internal error has occurred.' +
      ' Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  );
}
