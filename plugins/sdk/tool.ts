import type { z } from 'zod';
import type { JsonObject, JsonValue } from './json.ts';
import type { PluginContext, PluginManifest } from './plugin.ts';

export interface ToolFunction<Args extends z.ZodObject = z.ZodObject, Settings = unknown> {
  /** Name the model calls: letters, digits, `_` and `-`, at most 64 characters (OpenAI's function-name rule). */
  name: string;
  description: string;
  parameters: Args;
  run(ctx: PluginContext<Settings>, args: z.infer<Args>): Promise<JsonValue>;
}

export interface ToolPlugin<Settings extends z.ZodObject = z.ZodObject> extends PluginManifest<'tool', Settings> {
  functions: readonly ToolFunction<z.ZodObject, z.infer<Settings>>[];
}

/**
 * A tool the host builds for one turn rather than a plugin (knowledge search over the chatbot's collections, the
 * participant's reminders, session state…): it closes over what it may touch, so it never sees another
 * conversation's data. Arguments are validated against `parameters` (JSON Schema, checked with
 * @cfworker/json-schema: no `eval`) before `run`.
 */
export interface HostTool {
  /** Same rule as ToolFunction.name; must not clash with an enabled plugin tool. */
  name: string;
  description: string;
  parameters: JsonObject;
  run(args: JsonObject, signal: AbortSignal): Promise<JsonValue>;
}
