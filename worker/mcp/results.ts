import type { JsonValue } from '../../plugins/sdk/index.ts';

/**
 * Text handed back to the model from one call: a longer result is cut here rather than refused, below the tool
 * runner's cap on any output (MAX_TOOL_RESULT_CHARS, 16,000 with JSON quoting).
 */
export const MAX_RESULT_CHARS = 15_000;

interface ContentPart {
  type: string;
  text?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  resource?: { uri?: string; mimeType?: string; text?: string };
}

/** A failed call (`isError`): thrown so the tool runner reports it to the model as an error. */
export class McpToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpToolError';
  }
}

/** The model sees text; images, audio and resources are summarised (their bytes never enter the prompt). */
export function resultText(content: readonly ContentPart[]): string {
  const parts = content.map((part) => {
    if (part.type === 'text') return part.text ?? '';
    if (part.type === 'image' || part.type === 'audio') return `[${part.type} ${part.mimeType ?? ''}]`.trim();
    if (part.type === 'resource_link') return `[resource ${part.name ?? ''} ${part.uri ?? ''}]`;
    if (part.type === 'resource') {
      const r = part.resource ?? {};
      return r.text !== undefined ? r.text : `[resource ${r.uri ?? ''} ${r.mimeType ?? ''}]`;
    }
    return `[${part.type}]`;
  });
  const text = parts.join('\n');
  return text.length > MAX_RESULT_CHARS
    ? `${text.slice(0, MAX_RESULT_CHARS)}… [cut at ${MAX_RESULT_CHARS} characters]`
    : text;
}

/** Maps a `tools/call` result to the tool's output, or throws McpToolError for `isError`. */
export function mapResult(result: Record<string, unknown>): JsonValue {
  const text = resultText(Array.isArray(result.content) ? (result.content as ContentPart[]) : []);
  if (result.isError === true) throw new McpToolError(text || 'the MCP tool failed');
  return text;
}
