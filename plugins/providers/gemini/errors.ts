import type { RetryLog } from './retry.ts';
import { geminiSdk } from './sdk.ts';

/**
 * The error a failed Gemini call throws. Its message is shown to admins, so it is one readable sentence built from
 * the API's `google.rpc.Status` (code, status, message), never the raw JSON, and never contains the API key.
 * No `cause` is attached: the SDK's error objects are not ours to vouch for.
 */
export class GeminiError extends Error {
  override readonly name = 'GeminiError';

  constructor(
    message: string,
    /** The HTTP status, when the API answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}

interface RpcStatus {
  code?: number;
  message?: string;
  status?: string;
  details?: { '@type'?: string; reason?: string }[];
}

/** The SDK's ApiError message is `JSON.stringify(errorBody)`, or `got status: X. {json}` for an error in a stream. */
function rpcStatus(message: string): RpcStatus | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    const body = JSON.parse(message.slice(start)) as { error?: RpcStatus };
    return typeof body.error === 'object' && body.error !== null ? body.error : undefined;
  } catch {
    return undefined;
  }
}

function hint(status: number, rpc: RpcStatus | undefined): string {
  const reason = rpc?.details?.find((detail) => detail['@type']?.endsWith('google.rpc.ErrorInfo'))?.reason;
  if (reason === 'API_KEY_INVALID' || status === 401 || status === 403) {
    return ' Check the API key in the Gemini provider settings.';
  }
  if (status === 404) return ' Check the model name; the Gemini provider lists the models your key can use.';
  return '';
}

/** Removes the key, and anything shaped like a Google API key or a `key=` query parameter, from `text`. */
export function redact(text: string, apiKey: string): string {
  const withoutKey = apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
  return withoutKey.replace(/AIza[0-9A-Za-z_-]{35}/g, '[redacted]').replace(/([?&]key=)[^&\s]+/g, '$1[redacted]');
}

/** Async because the SDK's ApiError class comes from the lazily loaded package (sdk.ts). */
export async function readableError(error: unknown, apiKey: string, log: RetryLog): Promise<GeminiError> {
  let message: string;
  let status: number | undefined;
  if (error instanceof GeminiError) return error;
  const { ApiError } = await geminiSdk();
  if (error instanceof ApiError) {
    status = error.status;
    const rpc = rpcStatus(error.message);
    const said = (rpc?.message ?? error.message).replace(/\s+/g, ' ').trim();
    message = `Gemini API error ${status}${rpc?.status ? ` ${rpc.status}` : ''}: ${said}${hint(status, rpc)}`;
  } else {
    message = `Gemini request failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (log.refusedWaitMs !== undefined) {
    message += ` The API asked to wait ${Math.ceil(log.refusedWaitMs / 1000)} s before retrying, too long for a reply.`;
  } else if (log.retries > 0) {
    message += ` (gave up after ${log.retries} ${log.retries === 1 ? 'retry' : 'retries'})`;
  }
  return new GeminiError(redact(message, apiKey), status);
}
