import type { Database } from '../db/client.ts';
import { toolSourceFor } from './sources.ts';
import type { ToolSource } from './tool-source.ts';

/** A tool id where a definition names it (`body.definition.nodes.0.tools.2`). */
export interface ToolReference {
  field: string;
  id: string;
}

export const toolReferences = (tools: readonly string[], at: string): ToolReference[] =>
  tools.map((id, i) => ({ field: `${at}.tools.${i}`, id }));

/**
 * Host-built tools the definition names that are not the team's (an unknown built-in set, another team's custom
 * action or MCP server — which reads exactly like a missing one). One query per source, not per reference.
 */
export async function hostToolIssues(
  db: Database,
  teamId: string,
  references: readonly ToolReference[],
): Promise<{ field: string; message: string }[]> {
  const bySource = new Map<ToolSource, ToolReference[]>();
  for (const reference of references) {
    const source = toolSourceFor(reference.id);
    if (source) bySource.set(source, [...(bySource.get(source) ?? []), reference]);
  }
  const issues: { field: string; message: string }[] = [];
  for (const [source, refs] of bySource) {
    const unknown = await source.unknownIds(db, teamId, [...new Set(refs.map((ref) => ref.id))]);
    for (const ref of refs) {
      const message = unknown.get(ref.id);
      if (message) issues.push({ field: ref.field, message });
    }
  }
  return issues;
}
