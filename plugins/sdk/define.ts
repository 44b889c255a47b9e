import { z } from 'zod';
import type { JsonObject } from './json.ts';
import type { AnyPlugin, PluginKind, PluginKinds } from './kind.ts';

const pluginId = /^[a-z][a-z0-9-]{1,39}$/;
const semver = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/**
 * Declares a plugin of any kind in `PluginKinds` (kind.ts): its `kind` picks the interface, its `settings` type flows
 * into `ctx.settings`. Typed identity plus the checks that would otherwise surface as confusing runtime bugs: a
 * malformed id, a version that is not semver, or a secret that is not a setting.
 */
export function definePlugin<K extends PluginKind, S extends z.ZodObject>(
  plugin: PluginKinds<S>[K] & { kind: K; settings: S },
): PluginKinds<S>[K] {
  checkManifest(plugin);
  return plugin;
}

/** The checks of `definePlugin`, for plugins of kinds the type map does not name (a test kind). */
export function checkManifest(plugin: AnyPlugin): void {
  if (!pluginId.test(plugin.id)) {
    throw new Error(`Plugin id "${plugin.id}" must match ${pluginId} (lowercase letters, digits, dashes)`);
  }
  if (!semver.test(plugin.version)) {
    throw new Error(`Plugin "${plugin.id}" version "${plugin.version}" is not semver`);
  }
  const keys = Object.keys(plugin.settings.shape);
  for (const secret of plugin.secrets) {
    if (!keys.includes(secret))
      throw new Error(`Plugin "${plugin.id}" declares secret "${secret}" that is not a setting`);
  }
}

/**
 * JSON Schema (draft 2020-12) of a plugin's settings, for generated forms. Secrets are marked
 * `writeOnly` (JSON Schema's own word for "never returned") and `format: password`.
 */
export function settingsJsonSchema(plugin: AnyPlugin): JsonObject {
  const schema = z.toJSONSchema(plugin.settings, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  const properties = (schema.properties ?? {}) as Record<string, JsonObject>;
  for (const secret of plugin.secrets) {
    const property = properties[secret];
    if (property) Object.assign(property, { writeOnly: true, format: 'password' });
  }
  return schema;
}

/** Splits submitted settings into the public part (stored as JSON) and the secret part (encrypted). */
export function splitSecrets(
  plugin: AnyPlugin,
  settings: Record<string, unknown>,
): { publicSettings: Record<string, unknown>; secretSettings: Record<string, unknown> } {
  const publicSettings: Record<string, unknown> = {};
  const secretSettings: Record<string, unknown> = {};
  const secrets = new Set<string>(plugin.secrets);
  for (const [key, value] of Object.entries(settings)) {
    (secrets.has(key) ? secretSettings : publicSettings)[key] = value;
  }
  return { publicSettings, secretSettings };
}
