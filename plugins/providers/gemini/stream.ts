import type { GenerateContentResponse } from '@google/genai';
import type { ChatStreamEvent, FinishReason } from '../../sdk/index.ts';
import { toolCallId } from './tool-ids.ts';

/**
 * Gemini's stream of `GenerateContentResponse` chunks → Parley's stream events. Pure: feed it chunks with `push`,
 * then call `end` once the stream is over.
 *
 * - Text parts become text deltas; thought summaries (`thought: true`) are not part of the reply and are skipped.
 * - A function call always arrives whole, in one part (streamed partial arguments are Vertex-only), so it is
 *   emitted as a tool call as soon as it arrives, with a made-up id when the API gives none.
 * - `usageMetadata` is a running total in every chunk, so only the last one counts; thinking tokens are billed as
 *   output (https://ai.google.dev/gemini-api/docs/thinking#pricing), so they are added to the output tokens.
 * - The finish reason arrives with the last chunk and is reported after the usage.
 */

// Candidate.finishReason values that mean "stopped by a content policy" (FinishReason in the API reference).
const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
  'MODEL_ARMOR',
]);

export function mapFinishReason(reason: string, calledTools: boolean): FinishReason {
  // Gemini ends a function-calling turn with STOP; Parley needs to know tools are waiting.
  if (reason === 'STOP') return calledTools ? 'tool_calls' : 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (FILTERED.has(reason)) return 'content_filter';
  // OTHER, LANGUAGE, MALFORMED_FUNCTION_CALL, UNEXPECTED_TOOL_CALL, TOO_MANY_TOOL_CALLS, …: the reply is unusable.
  return 'error';
}

export class StreamMapper {
  private calls = 0;
  private usage: { inputTokens: number; outputTokens: number } | undefined;
  private finishReason: string | undefined;
  private blockReason: string | undefined;
  private introduced = false;

  /** Whether the API said the reply is over (a finish reason, or a blocked prompt). */
  get finished(): boolean {
    return this.finishReason !== undefined || this.blockReason !== undefined;
  }

  *push(chunk: GenerateContentResponse): Generator<ChatStreamEvent> {
    if (!this.introduced && (chunk.modelVersion || chunk.responseId)) {
      this.introduced = true;
      const metadata = {
        provider: 'gemini',
        modelVersion: chunk.modelVersion ?? null,
        responseId: chunk.responseId ?? null,
      };
      yield { type: 'metadata', metadata };
    }
    const usage = chunk.usageMetadata;
    if (usage) {
      const inputTokens = (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0);
      this.usage = { inputTokens, outputTokens: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0) };
    }
    if (chunk.promptFeedback?.blockReason) this.blockReason = chunk.promptFeedback.blockReason;
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.thought) continue;
      if (part.text) yield { type: 'text-delta', text: part.text };
      const call = part.functionCall;
      if (call?.name) {
        const id = toolCallId(call.id, chunk.responseId, this.calls++);
        yield { type: 'tool-call', call: { id, name: call.name, arguments: JSON.stringify(call.args ?? {}) } };
      }
    }
    if (candidate?.finishReason) this.finishReason = candidate.finishReason;
  }

  /** Usage, then the finish; `finished` must be true. */
  *end(): Generator<ChatStreamEvent> {
    const raw = this.blockReason ? `PROMPT_BLOCKED_${this.blockReason}` : (this.finishReason ?? 'STOP');
    // Keep Gemini's own reason when it is not an ordinary end, so admins can see why a reply stopped.
    if (raw !== 'STOP' && raw !== 'MAX_TOKENS') yield { type: 'metadata', metadata: { geminiFinishReason: raw } };
    if (this.usage) yield { type: 'usage', ...this.usage };
    const reason = this.blockReason ? 'content_filter' : mapFinishReason(raw, this.calls > 0);
    yield { type: 'finish', reason };
  }
}
