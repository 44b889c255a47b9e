import type { z } from 'zod';
import type { JsonObject } from './json.ts';
import type { PluginManifest } from './plugin.ts';

/**
 * The plugin kinds, one entry per kind, each added by its own file in `plugins/sdk/kinds/` through declaration
 * merging (`declare module '../kind.ts' { interface PluginKinds<S> { tool: ToolPlugin<S> } }`). Everything typed by
 * kind (`Plugin`, `PluginKind`, `definePlugin`, `pluginsOf`) derives from it, so a new kind edits no core file.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface, not a type, so each kind file can merge its entry in.
// biome-ignore lint/correctness/noUnusedVariables: S is what the kinds' entries are generic in.
export interface PluginKinds<S extends z.ZodObject = z.ZodObject> {}

export type PluginKind = keyof PluginKinds & string;

/** Any installed plugin, of whichever kind. */
export type Plugin = PluginKinds[PluginKind];

/** A plugin of any kind, declared or not (test kinds, the registry's generic code). */
export type AnyPlugin = PluginManifest<string, z.ZodObject>;

/**
 * How a team configures the plugins of a kind (worker/plugin-configs): `named`, any number of configurations with
 * unique names (provider credentials); `many`, any number (channels, one per bot); `single`, at most one per plugin
 * (a tool's API key, set once for the whole team).
 */
export type ConfigCardinality = 'named' | 'many' | 'single';

/** What the core knows about a kind: enough to index, publish and configure its plugins without naming it. */
export interface PluginKindDefinition<P extends AnyPlugin = AnyPlugin> {
  kind: P['kind'];
  /** Plural label, for catalog filters and dashboard headings ("Providers"). */
  label: string;
  description: string;
  /** The shared test suite every plugin of the kind runs (a path under plugins/sdk/contracts/). */
  contract: string;
  configs: ConfigCardinality;
  /**
   * The feature route that writes configurations of this kind, when they carry more than settings (a channel belongs
   * to a chatbot and has options). The generic `/api/v1/plugin-configs` then only lists and reads them.
   */
  managedBy?: string;
  /** The catalog's `capabilities` for one plugin: plain JSON (GET /api/v1/plugins). */
  capabilities(plugin: P): JsonObject;
  /** Kind-specific manifest checks; throw to refuse the plugin when the registry is built (at Worker start). */
  check?(plugin: P): void;
}

/** Declares a kind; typed identity, so a kind file reads as data. */
export function defineKind<P extends AnyPlugin>(definition: PluginKindDefinition<P>): PluginKindDefinition<P> {
  return definition;
}
