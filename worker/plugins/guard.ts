import type { AnyPlugin } from '../../plugins/sdk/index.ts';
import { redactSecrets, secretValues } from './redact.ts';

/**
 * The one place plugin output enters Parley: every installed plugin is wrapped here (plugins/registry.ts), so each
 * hook that gets a context — channel send/edit/typing/sendAudio/setup/downloadMedia, provider chat/models/
 * transcribe/speak, tool functions — has its failures redacted before any caller can store or return them: a thrown
 * error's message, a failed result's `message` (SendResult, SetupResult), an error raised mid-stream. Whatever the
 * kind: hooks are the manifest's functions and those of objects in its lists (a tool's `functions[].run`).
 */
export function guardPlugin<P extends AnyPlugin>(plugin: P): P {
  const secretKeys: readonly string[] = plugin.secrets;
  const guarded = { ...plugin } as Record<string, unknown>;
  for (const [name, value] of Object.entries(plugin)) {
    if (typeof value === 'function') guarded[name] = guardHook(value, plugin, secretKeys);
    else if (Array.isArray(value)) guarded[name] = value.map((item: unknown) => guardMembers(item, secretKeys));
  }
  return guarded as P;
}

/** An object of a manifest's list with its function members guarded; anything else as it is. */
function guardMembers(item: unknown, secretKeys: readonly string[]): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
  const guarded: Record<string, unknown> = { ...item };
  for (const [name, value] of Object.entries(item)) {
    if (typeof value === 'function') guarded[name] = guardHook(value as Hook, item, secretKeys);
  }
  return guarded;
}

type Hook = (...args: unknown[]) => unknown;

function guardHook(hook: Hook, self: object, secretKeys: readonly string[]): Hook {
  return (...args: unknown[]) => {
    // Only hooks called with a context reach the network; the pure ones (verify, parse, parameters) pass through.
    const ctx = args[0];
    if (!isContext(ctx)) return hook.apply(self, args);
    const scrub = (text: string) => redactSecrets(text, secretValues(secretKeys, ctx.settings));
    let result: unknown;
    try {
      result = hook.apply(self, args);
    } catch (error) {
      throw scrubError(error, scrub);
    }
    if (isPromise(result))
      return result.then(
        (value) => scrubResult(value, scrub),
        (error) => Promise.reject(scrubError(error, scrub)),
      );
    if (isAsyncIterable(result)) return scrubStream(result, scrub);
    return result;
  };
}

function isContext(value: unknown): value is { settings: unknown; fetch: unknown } {
  return typeof value === 'object' && value !== null && 'settings' in value && 'fetch' in value;
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Promise<unknown>).then === 'function';
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

async function* scrubStream(stream: AsyncIterable<unknown>, scrub: (text: string) => string): AsyncIterable<unknown> {
  try {
    yield* stream;
  } catch (error) {
    throw scrubError(error, scrub);
  }
}

/** A failed SendResult/SetupResult quotes the platform; a successful result is data, passed on as is. */
function scrubResult(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value !== 'object' || value === null || !('ok' in value) || value.ok !== false) return value;
  if (!('message' in value) || typeof value.message !== 'string') return value;
  return { ...value, message: scrub(value.message) };
}

/** The same error (its class and fields such as `code` still matter to callers) with a scrubbed message and stack. */
function scrubError(error: unknown, scrub: (text: string) => string): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? scrub(error) : error;
  // defineProperty, not assignment: DOMException's message is a prototype getter.
  Object.defineProperty(error, 'message', { value: scrub(error.message), configurable: true, writable: true });
  if (typeof error.stack === 'string') {
    Object.defineProperty(error, 'stack', { value: scrub(error.stack), configurable: true, writable: true });
  }
  if (error.cause !== undefined) error.cause = scrubError(error.cause, scrub);
  return error;
}
