import { registry } from '../../plugins/registry.ts';
import type { NodeKind } from './node-kind.ts';
import { builtinKinds } from './nodes/index.ts';
import type { KindRegistry } from './validate.ts';

/**
 * Every node kind a definition may use: the engine's built-ins (start, end) and the kind of each installed node
 * plugin (plugins/registry.ts). Built once: the registry is static. A plugin cannot replace a built-in.
 */
let kinds: KindRegistry | undefined;

export function nodeKinds(): KindRegistry {
  kinds ??= kindMap([...registry.of('node').values()].map((plugin) => plugin.node));
  return kinds;
}

/** The plugin that brings a kind (undefined for the built-ins), e.g. `static-router` for `static_router`. */
export function pluginOfKind(kindId: string): string | undefined {
  for (const plugin of registry.of('node').values()) if (plugin.node.id === kindId) return plugin.id;
  return undefined;
}

/** `nodeKinds()` plus `extra` (tests' kinds; an extra kind with an installed kind's id replaces it). */
export function kindRegistry(...extra: readonly NodeKind[]): KindRegistry {
  return new Map([...nodeKinds(), ...extra.map((kind) => [kind.id, kind] as const)]);
}

function kindMap(plugins: readonly NodeKind[]): KindRegistry {
  const map = new Map<string, NodeKind>();
  for (const kind of [...plugins, ...builtinKinds]) map.set(kind.id, kind);
  return map;
}
