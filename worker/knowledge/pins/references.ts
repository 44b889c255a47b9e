import type { AnyDefinition } from '../../pipelines/definition.ts';
import { nodeKinds } from '../../pipelines/kinds.ts';
import type { KindRegistry } from '../../pipelines/validate.ts';

/**
 * The ids of every collection a definition uses, in first-use order: each node's `collection` references, as its kind
 * declares them (`NodeKind.references`, the same list the editor's validation checks against the team). Version 1
 * definitions (start → llm → end) have no knowledge setting, so they reference none. Nodes whose settings do not
 * parse reference nothing here: publishing refuses such a draft before pins are computed.
 */
export function collectionReferences(definition: AnyDefinition, kinds: KindRegistry = nodeKinds()): string[] {
  if (definition.schemaVersion !== 2) return [];
  const ids = new Set<string>();
  for (const node of definition.nodes) {
    const kind = kinds.get(node.kind);
    const settings = kind?.settings.safeParse(node.settings);
    if (!kind?.references || !settings?.success) continue;
    for (const reference of kind.references(settings.data)) {
      if (reference.type === 'collection') ids.add(reference.id);
    }
  }
  return [...ids];
}
