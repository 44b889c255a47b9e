/** One line of a reply's tool log (worker/conversation/turn-steps.ts writes `metadata.tools`). */
export interface ToolCallView {
  id: string;
  name: string;
  arguments: string;
  ok: boolean;
  output: string;
  approval?: { decision: 'approved' | 'denied'; by: string };
}

/** The tool calls a reply's metadata lists; anything not shaped like one is left out. */
export function toolCallsOf(metadata: Record<string, unknown>): ToolCallView[] {
  const tools = metadata.tools;
  if (!Array.isArray(tools)) return [];
  return tools.filter(
    (call): call is ToolCallView =>
      typeof call === 'object' &&
      call !== null &&
      typeof call.id === 'string' &&
      typeof call.name === 'string' &&
      typeof call.arguments === 'string' &&
      typeof call.output === 'string',
  );
}

/** JSON text indented for reading; anything that is not JSON as it came. */
export function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
