import type { JsonValue } from '../../plugins/sdk/index.ts';
import type { Env } from '../env.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';
import type { ToolRunResult } from '../tools/tool-source.ts';
import { type ActionAuth, type AuthOwner, redact, secretValues, withAuth } from './auth.ts';
import { storeResponseFile } from './files.ts';
import { readCapped } from './read-body.ts';
import { buildRequest } from './spec/request.ts';
import type { ActionOperation, BuiltRequest } from './spec/types.ts';
import { loadCallFiles } from './upload-files.ts';

/** One call: under the tool runner's 30 s cap on any tool (TOOL_TIMEOUT_MS), leaving room for an OAuth retry. */
export const CALL_TIMEOUT_MS = 25_000;
/**
 * Bytes of a JSON or text response read at most: the model gets far less (MODEL_CHARS), and reading stops and
 * cancels the body past this, so a 50 MB answer never sits in the isolate's 128 MB.
 */
export const MAX_READ_BYTES = 1024 * 1024;
/**
 * Characters of a response body the model sees: below the tool runner's cap on a whole result
 * (MAX_TOOL_RESULT_CHARS, 16,000 as JSON text) with room for the status and the quoting.
 */
export const MODEL_CHARS = 12_000;

/** What one call needs: where it goes, the operation, and whose auth and conversation it is. */
export interface ActionCall {
  env: Env;
  owner: AuthOwner;
  auth: ActionAuth;
  conversationId: string;
  baseUrl: string;
  operation: ActionOperation;
}

/** A failed call: thrown, so the tool runner reports it to the model as an error (its message has no secret). */
export class ActionCallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionCallError';
  }
}

const filenameOf = (disposition: string | null): string | null => {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star.trim());
    } catch {
      // Fall back to the plain parameter.
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/.exec(disposition)?.[1]?.trim() ?? null;
};

const TEXTUAL = /^(text\/|application\/([\w.+-]*\+)?(json|xml|yaml|x-yaml|javascript|x-www-form-urlencoded))/;

async function send(call: ActionCall, built: BuiltRequest, signal: AbortSignal, fresh: boolean) {
  const { request, secrets } = await withAuth(call.env, call.owner, call.auth, built, fresh);
  const response = await outboundFetch(call.env)(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined && { body: request.body }),
    signal,
  });
  return { response, secrets };
}

/**
 * Builds the operation's request from the model's arguments, adds the auth, and sends it through the outbound guard
 * (private, loopback and link-local hosts refused unless ALLOW_PRIVATE_OUTBOUND; every redirect re-checked). An OAuth
 * 401 is retried once with a fresh token. The model gets the status and the body (JSON parsed, text as text, both cut
 * to MODEL_CHARS); a file (a non-text body with a Content-Disposition filename) is stored as an attachment of the
 * conversation, described to the model and returned in `files`, the side channel the reply's attachments come
 * from (a tool's output alone never attaches anything). A file the arguments name (an upload operation) is read
 * from this conversation only. No secret reaches the result: values the auth sent are replaced if a body echoes one.
 */
export async function callOperation(call: ActionCall, args: unknown, signal: AbortSignal): Promise<ToolRunResult> {
  const { teamId } = call.owner;
  const loaded = await loadCallFiles(call.env, teamId, call.conversationId, call.operation, args);
  if (!loaded.ok) throw new ActionCallError(loaded.error);
  const built = buildRequest(call.operation, call.baseUrl, args, loaded.files);
  if (!built.ok) throw new ActionCallError(built.error);
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]);
  let sent: Awaited<ReturnType<typeof send>>;
  try {
    sent = await send(call, built.request, deadline, false);
    if (sent.response.status === 401 && call.auth.kind === 'oauth2_client_credentials') {
      await sent.response.body?.cancel();
      sent = await send(call, built.request, deadline, true);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : 'the request failed';
    throw new ActionCallError(redact(message, secretValues(call.auth)).slice(0, 500));
  }
  const { response, secrets } = sent;
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const filename = filenameOf(response.headers.get('content-disposition'));
  const status = response.status;
  if (filename && !TEXTUAL.test(contentType)) {
    const file = await storeResponseFile(call.env, teamId, call.conversationId, response, filename);
    if (!file.stored) {
      return { output: { status, note: `The API returned the file "${redact(filename, secrets)}", ${file.reason}` } };
    }
    const stored = { fileId: file.fileId, name: file.name, mimeType: file.mimeType, size: file.size };
    return {
      output: {
        status,
        file: stored,
        note: `The API returned the file "${file.name}" (${file.size} bytes, ${file.mimeType}); it is stored as an attachment of this conversation.`,
      },
      files: [stored],
    };
  }
  return { output: await modelView(response, contentType, status, secrets) };
}

/** What the model gets of a response that is no file: JSON parsed, text as text, both cut to MODEL_CHARS. */
async function modelView(
  response: Response,
  contentType: string,
  status: number,
  secrets: readonly string[],
): Promise<JsonValue> {
  if (contentType && !TEXTUAL.test(contentType)) {
    await response.body?.cancel();
    return { status, contentType, note: 'The API returned a binary body without a filename; it was not read.' };
  }
  const { bytes, truncated } = await readCapped(response.body, MAX_READ_BYTES);
  const text = redact(new TextDecoder().decode(bytes), secrets);
  if (!truncated && text.length <= MODEL_CHARS && (contentType.includes('json') || contentType === '')) {
    try {
      return { status, body: JSON.parse(text) as JsonValue };
    } catch {
      // Not JSON after all: passed on as text.
    }
  }
  if (!truncated && text.length <= MODEL_CHARS) return { status, ...(contentType && { contentType }), body: text };
  return {
    status,
    ...(contentType && { contentType }),
    body: text.slice(0, MODEL_CHARS),
    truncated: truncated
      ? `The body was longer than ${MAX_READ_BYTES} bytes; reading stopped there and the first ${MODEL_CHARS} characters are shown.`
      : `The body has ${text.length} characters; the first ${MODEL_CHARS} are shown.`,
  };
}
