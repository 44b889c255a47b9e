import type { ChatCompletionChunk } from 'openai/resources/chat';
import type { ToolCall } from '../../sdk/index.ts';

type ToolCallDelta = ChatCompletionChunk.Choice.Delta.ToolCall;

/**
 * Builds whole tool calls from streamed fragments. The API sends a call's `id`, `type` and `name` in its first
 * delta and its `arguments` JSON in pieces after, all tagged with the call's `index`
 * (platform.openai.com/docs/guides/function-calling#streaming); parallel calls use distinct indexes.
 */
export class ToolCallAssembler {
  readonly #calls = new Map<number, { id: string; name: string; arguments: string }>();

  add(deltas: readonly ToolCallDelta[]): void {
    for (const delta of deltas) {
      const call = this.#calls.get(delta.index) ?? { id: '', name: '', arguments: '' };
      if (delta.id) call.id = delta.id;
      const name = delta.function?.name;
      // OpenAI sends the name once; some compatible servers repeat it in every delta, so a repeat is not appended.
      if (name && name !== call.name) call.name += name;
      if (delta.function?.arguments) call.arguments += delta.function.arguments;
      this.#calls.set(delta.index, call);
    }
  }

  get size(): number {
    return this.#calls.size;
  }

  /** The complete calls in index order, emptying the assembler. Calls without a name are dropped as corrupt. */
  take(): ToolCall[] {
    const calls = [...this.#calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => ({
        id: call.id || `call_${index}`,
        name: call.name,
        // A call with no arguments streams none; the contract is a JSON object, so send an empty one.
        arguments: call.arguments === '' ? '{}' : call.arguments,
      }))
      .filter((call) => call.name !== '');
    this.#calls.clear();
    return calls;
  }
}
