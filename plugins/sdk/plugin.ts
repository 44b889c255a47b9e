import type { z } from 'zod';
import type { Clock } from './clock.ts';

/** What every plugin declares, whatever its kind (the kinds are listed in kinds/, `PluginKind` in kind.ts). */
export interface PluginManifest<Kind extends string, Settings extends z.ZodObject> {
  /** Stable identifier: lowercase letters, digits and dashes. Used in URLs (`/webhooks/<id>/...`) and stored rows. */
  id: string;
  kind: Kind;
  displayName: string;
  description: string;
  /** Semantic version of the plugin itself. */
  version: string;
  /** Settings an admin fills in; the dashboard renders a form from their JSON Schema. */
  settings: Settings;
  /** Which settings are secrets: encrypted at rest, write-only in every API, never logged. */
  secrets: readonly (keyof z.infer<Settings> & string)[];
}

/** Side-effect ports a plugin may use. Plugins never touch bindings directly. */
export interface PluginContext<Settings> {
  settings: Settings;
  /** Outbound HTTP; the only way a plugin reaches the network (tests point it at fake servers). */
  fetch: typeof fetch;
  clock: Clock;
  /** Aborted when the turn is cancelled or times out. */
  signal: AbortSignal;
}
