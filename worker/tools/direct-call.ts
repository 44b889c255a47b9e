import type { JsonValue } from '../../plugins/sdk/index.ts';
import { NodeError } from '../../plugins/sdk/node/kind.ts';
import type { NodeToolRequest, NodeToolResult } from '../../plugins/sdk/node/services.ts';
import type { Toolbox } from '../conversation/tool-runner.ts';
import { sessionHooks } from './builtin/session-state-tools.ts';
import type { HostTurnContext } from './tool-source.ts';
import { toolboxFor } from './toolbox.ts';

let calls = 0;

/**
 * One direct call of a tool (the Tool node, `ctx.services.tools`): the same toolbox an LLM node's model gets
 * (toolboxFor: tool plugins with the team's settings, built-in sets, MCP servers, custom actions — every
 * ToolSource), so arguments are validated against the function's schema and results capped the same way.
 *
 * Approval rules are not applied: they guard calls a model chooses; a Tool node's call, tool and arguments are
 * written by an admin into the definition and checked when it is saved, like an HTTP request node's request.
 */
export async function callToolDirectly(
  turn: Omit<HostTurnContext, 'session' | 'endConversation'>,
  request: NodeToolRequest,
): Promise<NodeToolResult> {
  let toolbox: Toolbox;
  try {
    toolbox = await toolboxFor({ ...turn, ...(request.turnHooks && sessionHooks(request.turnHooks)) }, [request.tool]);
  } catch (error) {
    throw new NodeError(`tool "${request.tool}": ${error instanceof Error ? error.message : String(error)}`);
  }
  const names = toolbox.specs().map((spec) => spec.name);
  const only = names.length === 1 ? names[0] : undefined;
  const name = request.function ?? only;
  if (name === undefined)
    throw new NodeError(
      names.length === 0
        ? `tool "${request.tool}" gives no functions`
        : `tool "${request.tool}" has ${names.length} functions (${names.join(', ')}): set "function"`,
    );
  if (!names.includes(name))
    throw new NodeError(`tool "${request.tool}" has no function "${name}" (it has ${names.join(', ') || 'none'})`);
  calls += 1;
  const outcome = await toolbox.run(
    { id: `direct-${calls}`, name, arguments: JSON.stringify(request.arguments) },
    {
      clock: turn.clock,
      fetch: (input, init) => fetch(input, init),
      signal: request.signal ?? new AbortController().signal,
    },
  );
  return { function: name, ok: outcome.ok, result: parsed(outcome.output), output: outcome.output };
}

function parsed(output: string): JsonValue {
  try {
    return JSON.parse(output) as JsonValue;
  } catch {
    return output;
  }
}
