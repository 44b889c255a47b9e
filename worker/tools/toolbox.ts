import { Toolbox } from '../conversation/tool-runner.ts';
import { toolSourceFor } from './sources.ts';
import type { HostTurnContext, ToolSource, TurnTool } from './tool-source.ts';

/** The turn's toolbox: plugin tools with the team's settings, plus the host-built tools the list names. */
export async function toolboxFor(turn: HostTurnContext, ids: readonly string[]): Promise<Toolbox> {
  const bySource = new Map<ToolSource, string[]>();
  const pluginIds: string[] = [];
  for (const id of ids) {
    const source = toolSourceFor(id);
    if (!source) pluginIds.push(id);
    else bySource.set(source, [...(bySource.get(source) ?? []), id]);
  }
  const toolbox = await Toolbox.forTeam(turn.env, turn.teamId, pluginIds);
  const hostTools: TurnTool[] = [];
  for (const [source, sourceIds] of bySource) hostTools.push(...(await source.tools(turn, sourceIds)));
  return toolbox.withHostTools(hostTools);
}
