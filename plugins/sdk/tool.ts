import type { z } from 'zod';
import type { JsonValue } from './json.ts';
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
