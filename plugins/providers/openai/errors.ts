import { openaiSdk } from './sdk.ts';
import { isOpenAIHost } from './settings.ts';

/** A failed call, worded for the admin who reads it in the dashboard. Never contains the API key. */
export class OpenAIProviderError extends Error {
  override readonly name = 'OpenAIProviderError';

  constructor(
    message: string,
    /** HTTP status of the last attempt; undefined when the server was never reached. */
    readonly status?: number,
    /** The API's error `code` (`invalid_api_key`, `rate_limit_exceeded`, …) when it gave one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

// Statuses the SDK retries (its `shouldRetry`): request timeout, lock timeout, rate limit, server errors.
const retried = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

/**
 * Turns whatever the SDK threw into an `OpenAIProviderError`. The API quotes the submitted key back in 401s
 * ("Incorrect API key provided: sk-abc1*****wxyz"), masked in the middle only, so that fragment is dropped and
 * the key itself is scrubbed from the whole message, whatever the server echoed. Async because the SDK's error
 * classes come from the lazily loaded package (sdk.ts).
 */
export async function readableError(
  error: unknown,
  settings: { apiKey: string; baseUrl: string; maxRetries: number },
): Promise<OpenAIProviderError> {
  const { APIConnectionError, APIError } = await openaiSdk();
  const api = apiLabel(settings.baseUrl);
  const scrub = (text: string) => redact(text, settings.apiKey);
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new OpenAIProviderError(scrub(`Could not reach ${api} (${error.message.replace(/\.$/, '')}${cause})`));
  }
  if (error instanceof APIError && error.status !== undefined) {
    const code = typeof error.code === 'string' ? error.code : undefined;
    const detail = apiMessage(error.error) ?? error.message.replace(/^\d+ /, '');
    const retries = retried(error.status) ? `, after ${settings.maxRetries} ${plural(settings.maxRetries)}` : '';
    const label = code ? `${error.status} ${code}` : String(error.status);
    return new OpenAIProviderError(scrub(`${api} error ${label}${retries}: ${detail}`), error.status, code);
  }
  if (error instanceof APIError) {
    // An error event inside the stream: no status, but the API's own message and code.
    const code = typeof error.code === 'string' ? error.code : undefined;
    return new OpenAIProviderError(
      scrub(`${api} stream error: ${apiMessage(error.error) ?? error.message}`),
      undefined,
      code,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new OpenAIProviderError(scrub(`${api} call failed: ${message}`));
}

function apiLabel(baseUrl: string): string {
  if (isOpenAIHost(baseUrl)) return 'OpenAI API';
  try {
    return `OpenAI-compatible API at ${new URL(baseUrl).host}`;
  } catch {
    return 'OpenAI-compatible API';
  }
}

function apiMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('message' in body)) return undefined;
  return typeof body.message === 'string' && body.message.trim() !== '' ? body.message.trim() : undefined;
}

function plural(retries: number): string {
  return retries === 1 ? 'retry' : 'retries';
}

/** Removes the key, and the API's quotation of it, from `text`. */
export function redact(text: string, apiKey: string): string {
  let clean = text.replace(/(Incorrect API key provided)(: \S+?)(\.(\s|$)|\s|$)/g, '$1$3');
  // Short values (a placeholder like "x") would mangle ordinary words; real keys are far longer than 8.
  if (apiKey.length >= 8) clean = clean.split(apiKey).join('[redacted]');
  return clean;
}
