import { anthropicSdk } from './sdk.ts';
import type { AnthropicSettings } from './settings.ts';

/** A failed Claude call, worded for the admin who reads it in the dashboard. Never carries the API key. */
export class AnthropicProviderError extends Error {
  override readonly name = 'AnthropicProviderError';
  /** HTTP status, when the API answered; undefined for connection failures and errors inside the stream. */
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

// The statuses the SDK retries by itself (its `shouldRetry`): timeouts, lock conflicts, rate limits, server errors.
const retried = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

// What an admin can do about each status (platform.claude.com/docs/en/api/errors).
const HINTS: Readonly<Record<number, string>> = {
  401: 'Check the API key in the provider settings.',
  402: 'Check the billing details of the Claude account.',
  403: 'The API key may not use this model or workspace.',
  404: 'Check the model name and the base URL.',
  413: 'The conversation is too large for one request.',
  429: 'The account hit a rate or spend limit.',
  529: 'Claude is overloaded; try again shortly.',
};

/**
 * Turns whatever the SDK threw into a short, readable error. The SDK's own message for an HTTP error is the status
 * followed by the raw JSON body; this keeps the body's `error.message` and type, adds a hint, says whether retries
 * were spent, and removes the API key should any text ever echo it. Async because the SDK's error classes come from
 * the lazily loaded package (sdk.ts).
 */
export async function readableError(error: unknown, settings: AnthropicSettings): Promise<AnthropicProviderError> {
  const { message, status } = describe(await anthropicSdk(), error, settings);
  return new AnthropicProviderError(redact(message, settings.apiKey), status);
}

function describe(
  { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError }: typeof import('@anthropic-ai/sdk'),
  error: unknown,
  settings: AnthropicSettings,
): { message: string; status?: number } {
  if (error instanceof AnthropicProviderError) return { message: error.message, status: error.status };
  if (error instanceof APIUserAbortError) return { message: 'The Claude API call was cancelled.' };
  // Timeout first: it is a subclass of the connection error.
  if (error instanceof APIConnectionTimeoutError) {
    return { message: `The Claude API at ${settings.baseUrl} did not answer in time.${retryNote(settings)}` };
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return {
      message: `${sentence(`Could not reach the Claude API at ${settings.baseUrl}${cause}`)}${retryNote(settings)}`,
    };
  }
  if (error instanceof APIError) {
    const detail = sentence(clip(error.apiMessage ?? 'no details in the response'));
    const type = error.type ? ` ${error.type}` : '';
    const request = error.requestID ? ` Request id ${error.requestID}.` : '';
    if (error.status === undefined) {
      // An `event: error` frame after the stream had started: the HTTP status was already 200.
      return { message: `Claude API error during the reply (${error.type ?? 'error'}): ${detail}${request}` };
    }
    const hint = HINTS[error.status] ? ` ${HINTS[error.status]}` : '';
    const retries = retried(error.status) ? retryNote(settings) : '';
    return {
      message: `Claude API error ${error.status}${type}: ${detail}${hint}${retries}${request}`,
      status: error.status,
    };
  }
  return { message: `Claude provider error: ${error instanceof Error ? error.message : String(error)}` };
}

function retryNote(settings: AnthropicSettings): string {
  if (settings.maxRetries === 0) return ' Not retried (maxRetries is 0).';
  return ` Gave up after ${settings.maxRetries} ${settings.maxRetries === 1 ? 'retry' : 'retries'}.`;
}

// The core keeps 500 characters of a provider error; leave room for the hint and notes.
function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

function redact(text: string, apiKey: string): string {
  return apiKey.length === 0 ? text : text.split(apiKey).join('[redacted API key]');
}
