import type { RawMessageStreamEvent, StopReason, ToolChoice } from '@anthropic-ai/sdk/resources/messages';
import type { ChatStreamEvent, FinishReason } from '../../sdk/index.ts';

/**
 * Stop reasons of platform.claude.com/docs/en/build-with-claude/handling-stop-reasons. `pause_turn` only follows
 * server tools, which this plugin never offers; `model_context_window_exceeded` is a length limit like `max_tokens`.
 */
const FINISH: Readonly<Record<StopReason, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

interface PendingToolUse {
  id: string;
  name: string;
  /** `input` of `content_block_start`: the whole input when the API sends no `input_json_delta` at all. */
  initial: unknown;
  json: string;
  /** The structured-output tool: its input is the reply's text. */
  answer?: boolean;
}

/**
 * Folds the Messages API stream (message_start, content_block_start/delta/stop, message_delta, message_stop) into
 * Parley's events. Text is passed through as it arrives; a tool call is held until its block stops, because its
 * arguments arrive as `input_json_delta` fragments that are only valid JSON once joined.
 */
export class AnthropicStreamMapper {
  private readonly tools = new Map<number, PendingToolUse>();
  // Total input is the sum of the uncached, cache-write and cache-read counts (Usage docs).
  private readonly input = { uncached: 0, cacheWrite: 0, cacheRead: 0 };
  private outputTokens = 0;
  private stopReason: StopReason | null = null;
  private model = '';
  private messageId = '';
  /** True once `message_stop` arrived: anything short of it is a cut-off stream. */
  done = false;
  /** Structured output: the forced tool whose input is the reply, streamed as text and finished with `stop`. */
  private readonly answerTool: string | undefined;
  private answered = false;

  constructor(toolChoice?: ToolChoice) {
    this.answerTool = toolChoice?.type === 'tool' ? toolChoice.name : undefined;
  }

  map(event: RawMessageStreamEvent): ChatStreamEvent[] {
    switch (event.type) {
      case 'message_start': {
        const { usage } = event.message;
        this.model = event.message.model;
        this.messageId = event.message.id;
        this.countInput(usage);
        this.outputTokens = usage.output_tokens;
        return [];
      }
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'tool_use' && block.name === this.answerTool) {
          this.answered = true;
          this.tools.set(event.index, { id: block.id, name: block.name, initial: block.input, json: '', answer: true });
        } else if (block.type === 'tool_use') {
          this.tools.set(event.index, { id: block.id, name: block.name, initial: block.input, json: '' });
        }
        return [];
      }
      case 'content_block_delta': {
        const { delta } = event;
        if (delta.type === 'text_delta') return delta.text === '' ? [] : [{ type: 'text-delta', text: delta.text }];
        const tool = this.tools.get(event.index);
        if (delta.type === 'input_json_delta' && tool?.answer) {
          tool.json += delta.partial_json;
          return delta.partial_json === '' ? [] : [{ type: 'text-delta', text: delta.partial_json }];
        }
        if (delta.type === 'input_json_delta' && tool) tool.json += delta.partial_json;
        // Thinking, signature and citation deltas have no Parley event.
        return [];
      }
      case 'content_block_stop': {
        const tool = this.tools.get(event.index);
        if (!tool) return [];
        this.tools.delete(event.index);
        // An answer tool whose input came whole in the start block (no deltas) is sent as one text delta.
        if (tool.answer) return tool.json === '' ? [{ type: 'text-delta', text: toolArguments(tool) }] : [];
        return [{ type: 'tool-call', call: { id: tool.id, name: tool.name, arguments: toolArguments(tool) } }];
      }
      case 'message_delta': {
        const { usage } = event;
        // message_delta carries cumulative counts; an input count is null when message_start's still stands.
        this.countInput(usage);
        this.outputTokens = usage.output_tokens;
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        return [];
      }
      case 'message_stop': {
        this.done = true;
        const { uncached, cacheWrite, cacheRead } = this.input;
        return [
          { type: 'metadata', metadata: { provider: 'anthropic', model: this.model, messageId: this.messageId } },
          { type: 'usage', inputTokens: uncached + cacheWrite + cacheRead, outputTokens: this.outputTokens },
          { type: 'finish', reason: this.finishReason() },
        ];
      }
      default:
        // Event types added later (the versioning policy allows it) are skipped, as the streaming docs advise.
        return [];
    }
  }

  private finishReason(): FinishReason {
    // The forced answer tool ends the turn with `tool_use`; for Parley it is the finished reply.
    if (this.answered && this.stopReason === 'tool_use') return 'stop';
    return this.stopReason ? (FINISH[this.stopReason] ?? 'stop') : 'stop';
  }

  private countInput(usage: InputCounts): void {
    this.input.uncached = usage.input_tokens ?? this.input.uncached;
    this.input.cacheWrite = usage.cache_creation_input_tokens ?? this.input.cacheWrite;
    this.input.cacheRead = usage.cache_read_input_tokens ?? this.input.cacheRead;
  }
}

interface InputCounts {
  input_tokens: number | null;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
}

function toolArguments(tool: PendingToolUse): string {
  if (tool.json !== '') return tool.json;
  // No deltas: a tool without parameters streams nothing, and the start block's `input` is then `{}`.
  return JSON.stringify(tool.initial ?? {});
}
