import { tools as installedTools } from '../../plugins/registry.ts';
import type { ToolApproval } from '../../plugins/sdk/index.ts';
import type { Database } from '../db/client.ts';
import { builtinToolSource } from './builtin-source.ts';
import { toolSourceFor } from './sources.ts';

/**
 * The functions a node's `tools` give its model, where that can be known before a turn: tool plugins and built-in
 * sets. Null when a tool's functions are only known at run time (a custom action's or an MCP server's), or when the
 * node builds tools of its own (`knowledge`): then an approval list cannot be checked and is taken as written.
 */
export async function knownFunctions(
  db: Database,
  teamId: string,
  tools: readonly string[],
  buildsOwnTools: boolean,
): Promise<Set<string> | null> {
  if (buildsOwnTools) return null;
  const names = new Set<string>();
  for (const id of tools) {
    const source = toolSourceFor(id);
    if (!source) {
      for (const fn of installedTools.get(id)?.functions ?? []) names.add(fn.name);
      continue;
    }
    if (source !== builtinToolSource) return null;
    const entry = (await builtinToolSource.list(db, teamId)).find((candidate) => candidate.id === id);
    for (const fn of entry?.functions ?? []) names.add(fn.name);
  }
  return names;
}

/** An approval naming a function the node's tools do not have (`…approval.functions.1`), where that is knowable. */
export async function approvalIssues(
  db: Database,
  teamId: string,
  node: { tools?: readonly string[]; approval?: ToolApproval; knowledge?: unknown },
  at: string,
): Promise<{ field: string; message: string }[]> {
  if (!node.approval || node.approval.functions.length === 0) return [];
  const known = await knownFunctions(db, teamId, node.tools ?? [], node.knowledge !== undefined);
  if (!known) return [];
  return node.approval.functions.flatMap((name, i) =>
    known.has(name)
      ? []
      : [{ field: `${at}.approval.functions.${i}`, message: `"${name}" is not a function of this node's tools` }],
  );
}
