import type { JsonObject, JsonValue } from '../../sdk/index.ts';
import { type NodeContext, NodeError, parseTemplate, renderTemplate } from '../../sdk/index.ts';
import type { ToolNodeSettings } from './settings.ts';

/** The template node's variables (plugins/nodes/template), so a template reads the same in either node. */
function variables(ctx: NodeContext<ToolNodeSettings>) {
  return {
    input: ctx.input,
    node_inputs: ctx.inputs.map((entry) => entry.value),
    temp_state: ctx.state.all('run'),
    session_state: ctx.state.all('session'),
    participant_data: ctx.state.all('participant'),
  };
}

/** Each string argument rendered as a template; other values as written. */
export function renderArguments(ctx: NodeContext<ToolNodeSettings>): JsonObject {
  const scope = variables(ctx);
  const rendered: JsonObject = {};
  for (const [name, value] of Object.entries(ctx.settings.arguments)) {
    if (typeof value !== 'string') {
      rendered[name] = value as JsonValue;
      continue;
    }
    try {
      rendered[name] = renderTemplate(parseTemplate(value), scope);
    } catch (error) {
      throw new NodeError(`arguments.${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return rendered;
}

/**
 * Calls the tool through the host's toolbox (`ctx.services.tools`) and outputs its result (also under the run key
 * `outputKey`). The call is in the trace like an LLM node's tool calls. A failed call fails the node: a timeout is
 * retryable under the node's retry policy, a tool's error answer is not (a retry would send the same call).
 */
export async function runToolNode(ctx: NodeContext<ToolNodeSettings>): Promise<JsonValue> {
  const args = renderArguments(ctx);
  const call = await ctx.services.tools.call({
    tool: ctx.settings.tool,
    ...(ctx.settings.function && { function: ctx.settings.function }),
    arguments: args,
    turnHooks: { state: ctx.state, endConversation: (reason) => ctx.endConversation(reason) },
    signal: ctx.signal,
  });
  ctx.toolCalls?.([
    {
      id: `${ctx.nodeId}-${ctx.attempt}`,
      name: call.function,
      arguments: JSON.stringify(args),
      ok: call.ok,
      output: call.output,
    },
  ]);
  if (!call.ok) {
    const message = errorOf(call.result);
    throw new NodeError(`${call.function}: ${message}`, /timed out|timeout/i.test(message));
  }
  if (ctx.settings.outputKey) ctx.state.set('run', ctx.settings.outputKey, call.result);
  return call.result;
}

function errorOf(result: JsonValue): string {
  if (result && typeof result === 'object' && !Array.isArray(result) && typeof result.error === 'string')
    return result.error;
  return JSON.stringify(result).slice(0, 500);
}
