import { checkManifest, settingsJsonSchema } from './define.ts';
import type { JsonObject } from './json.ts';
import type { AnyPlugin, PluginKind, PluginKindDefinition, PluginKinds } from './kind.ts';

/** One installed plugin as the catalog publishes it (GET /api/v1/plugins). */
export interface CatalogEntry {
  id: string;
  kind: string;
  displayName: string;
  description: string;
  version: string;
  capabilities: JsonObject;
  settingsSchema: JsonObject;
  secrets: string[];
}

/** The installed plugins indexed by kind and id, whatever the kinds are. */
export interface PluginRegistry {
  readonly kinds: readonly PluginKindDefinition[];
  readonly installed: readonly AnyPlugin[];
  /** The kind's definition, or undefined for a kind no installed definition declares. */
  kind(kind: string): PluginKindDefinition | undefined;
  /** Any installed plugin by id (ids are unique across kinds: they name webhooks and stored rows). */
  get(id: string): AnyPlugin | undefined;
  /** The plugins of one declared kind, typed by it. */
  of<K extends PluginKind>(kind: K): ReadonlyMap<string, PluginKinds[K]>;
  /** The plugins of any kind, declared in the type map or not. */
  ofKind(kind: string): ReadonlyMap<string, AnyPlugin>;
  /** The catalog: every plugin with its capabilities (as its kind describes them) and settings as JSON Schema. */
  catalog(): CatalogEntry[];
}

/**
 * Builds the registry. Throws for a plugin of an undeclared kind, a duplicate id, or a manifest its kind refuses,
 * so a mistake stops the Worker at start rather than surfacing in a request. `wrap` is applied to every plugin
 * once (the core redacts what plugins throw there).
 */
export function createRegistry(
  kinds: readonly PluginKindDefinition[],
  plugins: readonly AnyPlugin[],
  wrap: <P extends AnyPlugin>(plugin: P) => P = (plugin) => plugin,
): PluginRegistry {
  const kindByName = new Map(kinds.map((definition) => [definition.kind, definition]));
  const byId = new Map<string, AnyPlugin>();
  const byKind = new Map<string, Map<string, AnyPlugin>>(kinds.map((definition) => [definition.kind, new Map()]));
  for (const plugin of plugins) {
    const definition = kindByName.get(plugin.kind);
    if (!definition) {
      const known = [...kindByName.keys()].join(', ');
      throw new Error(`Plugin "${plugin.id}" has kind "${plugin.kind}", which no kind declares (known: ${known})`);
    }
    const other = byId.get(plugin.id);
    if (other) throw new Error(`Two plugins share the id "${plugin.id}" (a ${other.kind} and a ${plugin.kind})`);
    checkManifest(plugin);
    definition.check?.(plugin);
    const wrapped = wrap(plugin);
    byId.set(plugin.id, wrapped);
    byKind.get(plugin.kind)?.set(plugin.id, wrapped);
  }
  const empty: ReadonlyMap<string, AnyPlugin> = new Map();
  let catalog: CatalogEntry[] | undefined;
  return {
    kinds,
    installed: plugins,
    kind: (kind) => kindByName.get(kind),
    get: (id) => byId.get(id),
    of: <K extends PluginKind>(kind: K) => (byKind.get(kind) ?? empty) as ReadonlyMap<string, PluginKinds[K]>,
    ofKind: (kind) => byKind.get(kind) ?? empty,
    // Computed once: the registry is static.
    catalog: () => {
      catalog ??= plugins.map((plugin) => describePlugin(kindByName.get(plugin.kind) as PluginKindDefinition, plugin));
      return catalog;
    },
  };
}

function describePlugin(definition: PluginKindDefinition, plugin: AnyPlugin): CatalogEntry {
  return {
    id: plugin.id,
    kind: plugin.kind,
    displayName: plugin.displayName,
    description: plugin.description,
    version: plugin.version,
    capabilities: definition.capabilities(plugin),
    settingsSchema: settingsJsonSchema(plugin),
    secrets: [...plugin.secrets],
  };
}
