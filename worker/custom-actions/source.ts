import type { JsonObject } from '../../plugins/sdk/index.ts';
import { database } from '../db/client.ts';
import type { HostTurnContext, ToolCatalogEntry, ToolRunResult, ToolSource, TurnTool } from '../tools/tool-source.ts';
import { type ActionAuth, openAuth } from './auth.ts';
import { callOperation } from './caller.ts';
import { frozenActionsOf } from './freeze.ts';
import type { FrozenAction } from './frozen-types.ts';
import type { ActionOperation } from './spec/types.ts';
import { actionsByIds, type CustomActionRow, listActions, selectedOperations } from './store.ts';

const PREFIX = 'action:';

/** `action:<actionId>` (every selected operation) or `action:<actionId>/<toolName>` (one of them). */
export function parseActionId(id: string): { actionId: string; tool: string | null } {
  const rest = id.slice(PREFIX.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? { actionId: rest, tool: null } : { actionId: rest.slice(0, slash), tool: rest.slice(slash + 1) };
}

/** The operations an id gives from one action (live or frozen), or why it gives none. */
function resolve(
  action: Pick<FrozenAction, 'name' | 'operations'> | undefined,
  id: string,
): { operations: ActionOperation[] } | { error: string } {
  const { tool } = parseActionId(id);
  if (!action) return { error: `custom action of "${id}" does not exist` };
  if (tool === null) return { operations: action.operations };
  const operation = action.operations.find((op) => op.toolName === tool);
  if (!operation) return { error: `operation "${tool}" of custom action "${action.name}" is not selected` };
  return { operations: [operation] };
}

const live = (row: CustomActionRow): FrozenAction => ({
  name: row.name,
  title: row.title,
  baseUrl: row.baseUrl,
  operations: selectedOperations(row),
});

const describe = (op: ActionOperation, action: Pick<FrozenAction, 'name'>) =>
  `${op.summary || `${op.method.toUpperCase()} ${op.path}`} (custom action "${action.name}")`.slice(0, 1_024);

function hostTool(
  turn: HostTurnContext,
  actionId: string,
  action: FrozenAction,
  row: CustomActionRow | undefined,
  operation: ActionOperation,
): TurnTool {
  const runWithFiles = async (args: JsonObject, signal: AbortSignal): Promise<ToolRunResult> => {
    // The auth is read live: a rotated key applies to published versions at once. A deleted action has none.
    const auth: ActionAuth = row
      ? await openAuth(turn.env, row.teamId, row.id, row.sealedAuth)
      : { kind: 'none' as const };
    return callOperation(
      {
        env: turn.env,
        owner: { teamId: turn.teamId, actionId, updatedAt: row?.updatedAt ?? 0 },
        auth,
        conversationId: turn.conversationId,
        baseUrl: action.baseUrl,
        operation,
      },
      args,
      signal,
    );
  };
  return {
    name: operation.toolName,
    description: describe(operation, action),
    parameters: operation.parameters as TurnTool['parameters'],
    runWithFiles,
    run: async (args, signal) => (await runWithFiles(args, signal)).output,
  };
}

/**
 * Custom actions as tools (`action:` ids). A conversation on a published version calls the operations frozen into
 * that version at publish (worker/custom-actions/freeze.ts), even once the action is edited or deleted; a draft run,
 * or a version published before the action was frozen, calls the action as it stands. Another team's action reads
 * exactly like a missing one.
 */
export const customActionToolSource: ToolSource = {
  prefix: PREFIX,
  kind: 'custom_action',
  async unknownIds(db, teamId, ids) {
    const rows = await actionsByIds(
      db,
      teamId,
      ids.map((id) => parseActionId(id).actionId),
    );
    const byId = new Map(rows.map((row) => [row.id, live(row)]));
    const unknown = new Map<string, string>();
    for (const id of ids) {
      const resolved = resolve(byId.get(parseActionId(id).actionId), id);
      if ('error' in resolved) unknown.set(id, resolved.error);
    }
    return unknown;
  },
  async list(db, teamId): Promise<ToolCatalogEntry[]> {
    return (await listActions(db, teamId)).map((row) => {
      const entry: ToolCatalogEntry = {
        id: `${PREFIX}${row.id}`,
        kind: 'custom_action',
        title: row.name,
        description: row.description || `Operations of ${row.title} at ${row.baseUrl}`,
        // Each operation is pickable alone (`action:<id>/<toolName>`), like one MCP tool.
        functions: selectedOperations(row).map((op) => ({
          id: `${PREFIX}${row.id}/${op.toolName}`,
          name: op.toolName,
          description: describe(op, row),
          parameters: op.parameters as ToolCatalogEntry['functions'][number]['parameters'],
        })),
      };
      if (entry.functions.length === 0) entry.needsConfiguration = 'No operation of this action is selected yet.';
      return entry;
    });
  },
  async tools(turn, ids) {
    const db = database(turn.env.DB);
    const actionIds = ids.map((id) => parseActionId(id).actionId);
    const rows = new Map((await actionsByIds(db, turn.teamId, actionIds)).map((row) => [row.id, row]));
    const frozen = turn.chatbotVersionId ? await frozenActionsOf(db, turn.teamId, turn.chatbotVersionId) : {};
    const seen = new Set<string>();
    const tools: TurnTool[] = [];
    for (const id of ids) {
      const { actionId } = parseActionId(id);
      const row = rows.get(actionId);
      const action = frozen[actionId] ?? (row && live(row));
      const resolved = resolve(action, id);
      if ('error' in resolved) throw new Error(resolved.error);
      for (const operation of resolved.operations) {
        if (!action || seen.has(`${actionId}/${operation.toolName}`)) continue;
        seen.add(`${actionId}/${operation.toolName}`);
        tools.push(hostTool(turn, actionId, action, row, operation));
      }
    }
    return tools;
  },
};
