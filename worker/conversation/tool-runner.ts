import { z } from 'zod';
import { tools as installedTools } from '../../plugins/registry.ts';
import type {
  JsonObject,
  PluginContext,
  ToolCall,
  ToolFunction,
  ToolPlugin,
  ToolSpec,
} from '../../plugins/sdk/index.ts';
import { validateJson } from '../../plugins/sdk/json-schema.ts';
import type { Env } from '../env.ts';
import { openConfigsOf } from '../plugin-configs/store.ts';
import type { Clock } from '../ports/clock.ts';
import type { ReplyFile, ToolRunResult, TurnTool } from '../tools/tool-source.ts';

/**
 * A tool result goes back to the model and into the event log; 16 KB is plenty for a model to read and keeps a
 * runaway tool from filling the conversation's storage (a row holds at most 2 MB).
 */
export const MAX_TOOL_RESULT_CHARS = 16_000;
// A tool that hangs must not hold the turn forever.
export const TOOL_TIMEOUT_MS = 30_000;

export interface ToolOutcome {
  callId: string;
  name: string;
  ok: boolean;
  /** JSON text given to the model: the result, or `{"error": "..."}`. */
  output: string;
  /** Files the tool stored for the reply, from a first-party tool's side channel only (TurnTool.runWithFiles). */
  files?: ReplyFile[];
}

interface BoundFunction {
  fn: ToolFunction;
  settings: unknown;
}

type Bound = ({ host?: undefined } & BoundFunction) | { host: TurnTool };

/** The functions of the tool plugins a chatbot enables, ready to offer to a model and to run. */
export class Toolbox {
  private constructor(private readonly functions: ReadonlyMap<string, Bound>) {}

  /**
   * The tools with the settings the team configured for each (worker/plugin-configs: once per team, secrets
   * decrypted in memory only); a tool the team never configured gets its defaults.
   */
  static async forTeam(
    env: Pick<Env, 'DB' | 'ENCRYPTION_KEY'>,
    teamId: string,
    pluginIds: readonly string[],
    plugins: ReadonlyMap<string, ToolPlugin> = installedTools,
  ): Promise<Toolbox> {
    const configured = await openConfigsOf(env, teamId, 'tool', pluginIds);
    return Toolbox.fromPluginIds(pluginIds, configured, plugins);
  }

  /** Unknown tool ids and invalid settings are configuration errors; the message names them, never a value. */
  static fromPluginIds(
    pluginIds: readonly string[],
    configured: ReadonlyMap<string, Record<string, unknown>> = new Map(),
    plugins: ReadonlyMap<string, ToolPlugin> = installedTools,
  ): Toolbox {
    const functions = new Map<string, Bound>();
    for (const id of pluginIds) {
      const plugin = plugins.get(id);
      if (!plugin) throw new Error(`Tool plugin "${id}" is not installed`);
      const parsed = plugin.settings.safeParse(configured.get(id) ?? {});
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))].join(', ');
        throw new Error(`Tool plugin "${id}" needs settings this team has not configured: ${fields}`);
      }
      const settings = parsed.data;
      for (const fn of plugin.functions) {
        if (functions.has(fn.name)) throw new Error(`Two enabled tools define a function named "${fn.name}"`);
        functions.set(fn.name, { fn, settings });
      }
    }
    return new Toolbox(functions);
  }

  /** This toolbox plus tools the host built for the turn; a name clash is a configuration error naming it. */
  withHostTools(tools: readonly TurnTool[]): Toolbox {
    if (tools.length === 0) return this;
    const functions = new Map(this.functions);
    for (const tool of tools) {
      if (functions.has(tool.name)) throw new Error(`Two enabled tools define a function named "${tool.name}"`);
      functions.set(tool.name, { host: tool });
    }
    return new Toolbox(functions);
  }

  get size(): number {
    return this.functions.size;
  }

  specs(): ToolSpec[] {
    return [...this.functions.values()].map((bound) =>
      bound.host
        ? { name: bound.host.name, description: bound.host.description, parameters: bound.host.parameters }
        : {
            name: bound.fn.name,
            description: bound.fn.description,
            parameters: z.toJSONSchema(bound.fn.parameters, { io: 'input' }) as JsonObject,
          },
    );
  }

  /** Runs one call. Never throws: a model asking for a missing tool or passing bad arguments gets an error result. */
  async run(call: ToolCall, ports: { clock: Clock; fetch: typeof fetch; signal: AbortSignal }): Promise<ToolOutcome> {
    const fail = (message: string): ToolOutcome => ({
      callId: call.id,
      name: call.name,
      ok: false,
      output: JSON.stringify({ error: message }),
    });
    const bound = this.functions.get(call.name);
    if (!bound) return fail(`Unknown tool "${call.name}"`);
    let args: unknown;
    try {
      args = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
    } catch {
      return fail('Arguments are not valid JSON');
    }
    let invoke: (signal: AbortSignal) => Promise<ToolRunResult>;
    if (bound.host) {
      const { host } = bound;
      const checked = validateJson(host.parameters, args);
      if (!checked.valid || typeof args !== 'object' || args === null || Array.isArray(args)) {
        return fail(`Invalid arguments: ${checked.errors.join('; ') || '(root): expected an object'}`);
      }
      const input = args as JsonObject;
      invoke = async (signal) =>
        host.runWithFiles ? host.runWithFiles(input, signal) : { output: await host.run(input, signal) };
    } else {
      const { fn, settings } = bound;
      const parsed = fn.parameters.safeParse(args);
      if (!parsed.success) {
        return fail(
          `Invalid arguments: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
        );
      }
      invoke = (signal) => {
        const ctx: PluginContext<unknown> = { settings, clock: ports.clock, fetch: ports.fetch, signal };
        return fn.run(ctx, parsed.data).then((output) => ({ output }));
      };
    }
    const controller = new AbortController();
    const onAbort = () => controller.abort(ports.signal.reason);
    ports.signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new Error('tool timed out')), TOOL_TIMEOUT_MS);
    try {
      const result: ToolRunResult = await Promise.race([
        invoke(controller.signal),
        new Promise<never>((_, reject) =>
          controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
        ),
      ]);
      const output = JSON.stringify(result.output) ?? 'null';
      if (output.length > MAX_TOOL_RESULT_CHARS) return fail(`Result exceeds ${MAX_TOOL_RESULT_CHARS} characters`);
      const files = result.files ?? [];
      return { callId: call.id, name: call.name, ok: true, output, ...(files.length > 0 && { files }) };
    } catch (error) {
      return fail(error instanceof Error ? error.message.slice(0, 500) : 'Tool failed');
    } finally {
      clearTimeout(timer);
      ports.signal.removeEventListener('abort', onAbort);
    }
  }
}
