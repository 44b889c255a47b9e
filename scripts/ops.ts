/**
 * `npm run ops -- <command> --url <worker url>`: the operator commands over the operator API (worker/ops/routes.ts,
 * docs/scaling.md "Adding shards"). The token comes from PARLEY_OPS_TOKEN (the Worker's OPS_TOKEN secret).
 * Usage: scripts/lib/ops-cli.ts USAGE.
 */
import { blankBodies, moveTeam, opsClient, parseArgs, USAGE, UsageError } from './lib/ops-cli.ts';

async function main(): Promise<void> {
  const command = parseArgs(process.argv.slice(2));
  const token = process.env.PARLEY_OPS_TOKEN;
  if (!token) throw new UsageError('Set PARLEY_OPS_TOKEN to the Worker’s OPS_TOKEN secret');
  const client = opsClient(command.url, token, (url, init) => fetch(url, init));
  const log = (line: string) => console.log(line);
  if (command.name === 'teams') {
    for (const team of await client.teams()) {
      console.log(
        `${team.id}\tslot ${team.slot}\t${team.shard}\t${team.slug}${team.deletedAt ? '\t(being deleted)' : ''}`,
      );
    }
    return;
  }
  const liveTeams = async () => (await client.teams()).filter((t) => !t.deletedAt).map((t) => t.id);
  if (command.name === 'blank-bodies' || command.name === 'blank-all') {
    const ids = command.name === 'blank-bodies' ? [command.teamId] : await liveTeams();
    for (const teamId of ids) await blankBodies(client, teamId, { ...command, log });
    if (command.name === 'blank-all') console.log(`${ids.length} teams' bodies archived and blanked`);
    return;
  }
  const ids = command.name === 'move-team' ? [command.teamId] : await liveTeams();
  for (const teamId of ids) await moveTeam(client, teamId, { ...command, log });
  if (command.name === 'move-all') console.log(`${ids.length} teams moved and verified`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
