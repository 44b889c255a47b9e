import type { ChatRequest, FinishReason, JsonObject, ProviderPlugin, ToolCall } from '../../plugins/sdk/index.ts';
import type { Clock } from '../ports/clock.ts';
import type { MessageError, MessageStatus } from './protocol.ts';

/**
 * A reply is stored as one SQLite row, and a row holds at most 2 MB (DO limits). UTF-8 needs at most 4 bytes per
 * UTF-16 unit pair, so 400,000 characters stays below the limit with room for the other columns.
 */
export const MAX_REPLY_CHARS = 400_000;

export interface ReplyOutcome {
  content: string;
  status: Exclude<MessageStatus, 'streaming'>;
  error: MessageError | null;
  usage: { inputTokens: number; outputTokens: number } | null;
  finishReason: FinishReason;
  metadata: JsonObject;
  /** Tools the model asked for in this call, to run before it continues. */
  toolCalls: ToolCall[];
}

export interface StreamReplyInput {
  provider: ProviderPlugin;
  settings: Record<string, unknown>;
  request: ChatRequest;
  clock: Clock;
  fetch: typeof fetch;
  /** Aborted when a client cancels the generation. */
  cancel: AbortSignal;
  /** The turn fails if the provider has produced no text by then. */
  firstTokenTimeoutMs: number;
  onDelta(text: string): void;
}

class FirstTokenTimeout extends Error {}

/** How a reply that failed ends: the error, and whatever text had streamed before it. */
export function failedReply(error: MessageError, content = '', partial: Partial<ReplyOutcome> = {}): ReplyOutcome {
  return {
    content,
    status: 'error',
    error,
    usage: null,
    finishReason: 'error',
    metadata: {},
    toolCalls: [],
    ...partial,
  };
}

/** Runs one provider call to its end and says how it ended; never throws. */
export async function streamReply(input: StreamReplyInput): Promise<ReplyOutcome> {
  const controller = new AbortController();
  const onCancel = () => controller.abort(input.cancel.reason);
  input.cancel.addEventListener('abort', onCancel, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new FirstTokenTimeout());
  }, input.firstTokenTimeoutMs);

  let content = '';
  let usage: ReplyOutcome['usage'] = null;
  let finishReason: FinishReason = 'stop';
  const metadata: JsonObject = {};
  const toolCalls: ToolCall[] = [];
  const ctx = { settings: input.settings, fetch: input.fetch, clock: input.clock, signal: controller.signal };
  try {
    for await (const event of input.provider.chat(ctx, input.request)) {
      if (controller.signal.aborted) break;
      if (event.type === 'text-delta') {
        if (content === '') clearTimeout(timer);
        const room = MAX_REPLY_CHARS - content.length;
        const text = event.text.slice(0, room);
        if (text) {
          content += text;
          input.onDelta(text);
        }
        if (text.length < event.text.length) {
          finishReason = 'length';
          controller.abort(new Error('reply reached the size limit'));
          break;
        }
      } else if (event.type === 'tool-call') {
        clearTimeout(timer);
        toolCalls.push(event.call);
      } else if (event.type === 'usage') usage = { inputTokens: event.inputTokens, outputTokens: event.outputTokens };
      else if (event.type === 'metadata') Object.assign(metadata, event.metadata);
      else if (event.type === 'finish') finishReason = event.reason;
    }
  } catch (error) {
    if (!controller.signal.aborted) {
      return failedReply(providerError(error), content, { usage, metadata, toolCalls });
    }
  } finally {
    clearTimeout(timer);
    input.cancel.removeEventListener('abort', onCancel);
  }
  if (timedOut && content === '') {
    const seconds = input.firstTokenTimeoutMs / 1000;
    const error = { code: 'first_token_timeout', message: `The model sent nothing within ${seconds} s` };
    return failedReply(error, content, { usage, metadata, toolCalls });
  }
  if (input.cancel.aborted) {
    return { content, status: 'stopped', error: null, usage, finishReason: 'cancelled', metadata, toolCalls: [] };
  }
  return { content, status: 'complete', error: null, usage, finishReason, metadata, toolCalls };
}

function providerError(error: unknown): MessageError {
  const message = error instanceof Error ? error.message : String(error);
  // Provider messages are shown to admins; keep them short.
  return { code: 'provider_error', message: message.slice(0, 500) };
}
