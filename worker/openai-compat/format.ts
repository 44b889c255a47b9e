import type { FinishReason } from '../../plugins/sdk/index.ts';
import type { MessageError } from '../conversation/protocol.ts';
import { openaiErrorBody } from './errors.ts';

export type OpenAIFinishReason = 'stop' | 'length' | 'content_filter';

/** Tool calls ran server-side, and the client saw the answer that followed, so for the client the reply stopped. */
export function openaiFinishReason(reason: FinishReason | null): OpenAIFinishReason {
  return reason === 'length' || reason === 'content_filter' ? reason : 'stop';
}

export interface CompletionMeta {
  id: string;
  /** Unix seconds, as OpenAI counts them. */
  created: number;
  /** The model string the client sent, echoed back like OpenAI does. */
  model: string;
}

export const completionMeta = (model: string, id = crypto.randomUUID().replaceAll('-', '')): CompletionMeta => ({
  id: `chatcmpl-${id}`,
  created: Math.floor(Date.now() / 1000),
  model,
});

type Usage = { inputTokens: number; outputTokens: number } | null;

const openaiUsage = (usage: Usage) => {
  const prompt = usage?.inputTokens ?? 0;
  const completion = usage?.outputTokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
};

export function chatCompletion(
  meta: CompletionMeta,
  reply: { content: string; finishReason: FinishReason | null; usage: Usage },
) {
  return {
    id: meta.id,
    object: 'chat.completion' as const,
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content: reply.content, refusal: null },
        logprobs: null,
        finish_reason: openaiFinishReason(reply.finishReason),
      },
    ],
    usage: openaiUsage(reply.usage),
  };
}

/** 502 when the chatbot's model failed; 500 for everything else (a broken chatbot configuration, a crash). */
export const failureStatus = (error: Pick<MessageError, 'code'>) =>
  error.code === 'provider_error' || error.code === 'first_token_timeout' ? 502 : 500;

/**
 * Writes an OpenAI `chat.completion.chunk` stream: the role first, content deltas, the finish reason, the usage
 * chunk when asked for, then `data: [DONE]`. A failure after the stream started is an error frame (what the
 * official SDKs raise as APIError) followed by `[DONE]`.
 */
export class ChunkStream {
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private readonly encoder = new TextEncoder();
  readonly response: Response;
  private ended = false;

  constructor(
    private readonly meta: CompletionMeta,
    private readonly includeUsage: boolean,
    /** Called once when the client goes away, so the generation can stop. */
    private readonly onGone: () => void,
    headers: Record<string, string> = {},
  ) {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    this.writer = writable.getWriter();
    this.response = new Response(readable, {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers },
    });
    this.chunk({ role: 'assistant', content: '' }, null);
  }

  content(text: string): void {
    if (text) this.chunk({ content: text }, null);
  }

  finish(reason: FinishReason | null, usage: Usage): void {
    this.chunk({}, openaiFinishReason(reason));
    if (this.includeUsage) this.frame({ ...this.base(), choices: [], usage: openaiUsage(usage) });
    this.end();
  }

  fail(error: MessageError): void {
    this.frame(openaiErrorBody(failureStatus(error), error.code, error.message, null));
    this.end();
  }

  private base() {
    return { id: this.meta.id, object: 'chat.completion.chunk', created: this.meta.created, model: this.meta.model };
  }

  private chunk(delta: Record<string, string>, finishReason: OpenAIFinishReason | null): void {
    const choice = { index: 0, delta, logprobs: null, finish_reason: finishReason };
    // With include_usage OpenAI sends `usage: null` on every chunk before the usage chunk.
    this.frame({ ...this.base(), choices: [choice], ...(this.includeUsage && { usage: null }) });
  }

  private frame(data: unknown): void {
    this.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  private end(): void {
    if (this.ended) return;
    this.write('data: [DONE]\n\n');
    this.ended = true;
    this.writer.close().catch(() => {});
  }

  private write(text: string): void {
    if (this.ended) return;
    this.writer.write(this.encoder.encode(text)).catch(() => {
      this.ended = true;
      this.onGone();
    });
  }
}
