import { z } from 'zod';
import { tools as installedTools } from '../../plugins/registry.ts';
import type { Database } from '../db/client.ts';
import { knownFunctions } from './approval-checks.ts';
import { hostToolIssues } from './checks.ts';
import { isHostToolId } from './sources.ts';

/** The fields of a node that calls one tool directly (the Tool node, plugins/nodes/tool). */
const toolNodeFields = z.looseObject({ tool: z.string().min(1), function: z.string().optional() });

/**
 * A Tool node's `tool` must be one of the team's tools (the same checks as an LLM node's `tools`: an installed tool
 * plugin, or an id a ToolSource knows for this team), and `function` one of its functions where that is known before
 * a turn (tool plugins, built-in sets): named when there are several. `at` is the node's settings path.
 */
export async function toolNodeIssues(
  db: Database,
  teamId: string,
  nodes: readonly { settings: unknown; at: string }[],
): Promise<{ field: string; message: string }[]> {
  const calls = nodes.flatMap(({ settings, at }) => {
    const parsed = toolNodeFields.safeParse(settings);
    return parsed.success ? [{ ...parsed.data, at }] : [];
  });
  const issues = await hostToolIssues(
    db,
    teamId,
    calls.filter((call) => isHostToolId(call.tool)).map((call) => ({ field: `${call.at}.tool`, id: call.tool })),
  );
  for (const call of calls) {
    if (issues.some((issue) => issue.field === `${call.at}.tool`)) continue;
    if (!isHostToolId(call.tool) && !installedTools.has(call.tool)) {
      issues.push({ field: `${call.at}.tool`, message: `tool plugin "${call.tool}" is not installed` });
      continue;
    }
    const known = await knownFunctions(db, teamId, [call.tool], false);
    if (!known) continue;
    if (call.function !== undefined && !known.has(call.function))
      issues.push({
        field: `${call.at}.function`,
        message: `"${call.function}" is not a function of "${call.tool}" (it has ${[...known].join(', ')})`,
      });
    else if (call.function === undefined && known.size > 1)
      issues.push({
        field: `${call.at}.function`,
        message: `"${call.tool}" has ${known.size} functions (${[...known].join(', ')}): name one`,
      });
  }
  return issues;
}
