import type { HostTool } from '../../plugins/sdk/index.ts';
import type { Env } from '../env.ts';
import type { Clock } from '../ports/clock.ts';
import { reminderTools } from '../schedules/reminder-tools.ts';
import { Toolbox } from './tool-runner.ts';

/** What a built-in tool set may close over: one turn's team, chatbot, conversation and participant. */
export interface HostTurnContext {
  env: Env;
  teamId: string;
  chatbotId: string;
  conversationId: string;
  participantId: string | null;
  clock: Clock;
}

/** Tool ids in a chatbot's `tools` list that name a built-in set, expanded by the host rather than a plugin. */
export const BUILTIN_TOOL_PREFIX = 'builtin:';

/** Built-in tool sets by id (issue 18 adds participant data, session state, calculator…). */
export const HOST_TOOL_SETS: ReadonlyMap<string, (turn: HostTurnContext) => HostTool[]> = new Map([
  ['builtin:reminders', (turn: HostTurnContext) => reminderTools(turn)],
]);

export const isBuiltinToolId = (id: string) => id.startsWith(BUILTIN_TOOL_PREFIX);

/** The turn's toolbox: plugin tools with the team's settings, plus the built-in sets the list names. */
export async function toolboxFor(turn: HostTurnContext, ids: readonly string[]): Promise<Toolbox> {
  const builtin = ids.filter(isBuiltinToolId);
  for (const id of builtin) if (!HOST_TOOL_SETS.has(id)) throw new Error(`Built-in tool set "${id}" does not exist`);
  const toolbox = await Toolbox.forTeam(
    turn.env,
    turn.teamId,
    ids.filter((id) => !isBuiltinToolId(id)),
  );
  return toolbox.withHostTools(builtin.flatMap((id) => HOST_TOOL_SETS.get(id)?.(turn) ?? []));
}
