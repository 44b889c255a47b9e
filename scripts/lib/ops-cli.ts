/**
 * The pure part of `npm run ops` (scripts/ops.ts): arguments, the operator API calls (through an injected fetch, so
 * the unit tests drive it with a fake) and the progress lines. The routes are worker/ops/routes.ts.
 */

export type OpsCommand =
  | { name: 'teams'; url: string }
  | { name: 'move-team'; url: string; teamId: string; budgetRows: number; dropLegacy: boolean }
  | { name: 'move-all'; url: string; budgetRows: number; dropLegacy: boolean }
  | { name: 'blank-bodies'; url: string; teamId: string; budgetRows: number }
  | { name: 'blank-all'; url: string; budgetRows: number };

export const USAGE = `Usage: PARLEY_OPS_TOKEN=… npm run ops -- <command> --url <worker url> [options]

Commands:
  teams                       list every team with its shard slot and binding
  move-team <teamId>          move a team's data plane from DB to its shard, a step per call, until verified
  move-all                    move every team, one after the other
  blank-bodies <teamId>       archive a team's message bodies written before migration 0016 and blank them in D1
  blank-all                   the same for every team

Options:
  --url <url>                 the Worker's origin, e.g. https://parley.example.com (required)
  --budget <rows>             rows copied (or blanked) per step (1–2000, default 1000)
  --drop-legacy               after a verified move, delete the team's copied rows from DB`;

export class UsageError extends Error {}

/** Parses `argv` (after `--`): a command, its team id, `--url`, `--budget`, `--drop-legacy`. */
export function parseArgs(argv: readonly string[]): OpsCommand {
  const positional: string[] = [];
  let url: string | undefined;
  let budgetRows = 1_000;
  let dropLegacy = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--url') url = argv[++i];
    else if (arg === '--budget') budgetRows = Number(argv[++i]);
    else if (arg === '--drop-legacy') dropLegacy = true;
    else if (arg.startsWith('--')) throw new UsageError(`Unknown option ${arg}`);
    else positional.push(arg);
  }
  if (!url) throw new UsageError('--url <worker url> is required');
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    throw new UsageError(`--url is not a URL: ${url}`);
  }
  if (!Number.isInteger(budgetRows) || budgetRows < 1 || budgetRows > 2_000) {
    throw new UsageError('--budget must be a whole number from 1 to 2000');
  }
  const [name, teamId, ...rest] = positional;
  if (name === 'teams' && teamId === undefined) return { name, url: origin };
  if (name === 'move-all' && teamId === undefined) return { name, url: origin, budgetRows, dropLegacy };
  if (name === 'move-team' && teamId && rest.length === 0) {
    return { name, url: origin, teamId, budgetRows, dropLegacy };
  }
  if (name === 'blank-bodies' && teamId && rest.length === 0) return { name, url: origin, teamId, budgetRows };
  if (name === 'blank-all' && teamId === undefined) return { name, url: origin, budgetRows };
  throw new UsageError(name ? `Wrong arguments for ${name}` : 'No command given');
}

export interface TableMove {
  source: number;
  target: number;
  copied: number;
}

export interface MoveStep {
  teamId: string;
  shard: string;
  done: boolean;
  verified: boolean;
  next: string | null;
  tables: Record<string, TableMove>;
}

export interface OpsTeam {
  id: string;
  slug: string;
  name: string;
  slot: number;
  shard: string;
  deletedAt: string | null;
}

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** The operator API over `fetch`, with the token; a non-2xx answer throws its error message. */
export function opsClient(url: string, token: string, fetcher: Fetch) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetcher(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error: { message: string } }).error.message;
      } catch {
        // Not Parley's error shape (a proxy's page): the text itself.
      }
      throw new Error(`${method} ${path} → ${res.status}: ${message}`);
    }
    return JSON.parse(text) as T;
  };
  return {
    async teams(): Promise<OpsTeam[]> {
      const all: OpsTeam[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page = await call<{ data: OpsTeam[]; nextCursor: string | null }>(
          'GET',
          `/api/v1/ops/teams?limit=500${query}`,
        );
        all.push(...page.data);
        cursor = page.nextCursor;
      } while (cursor);
      return all;
    },
    moveStep: (teamId: string, budgetRows: number, cursor: string | null) =>
      call<MoveStep>('POST', `/api/v1/ops/teams/${encodeURIComponent(teamId)}/move`, { budgetRows, cursor }),
    blankStep: (teamId: string, budgetRows: number) =>
      call<{ blanked: number; done: boolean }>('POST', `/api/v1/ops/teams/${encodeURIComponent(teamId)}/bodies/blank`, {
        budgetRows,
      }),
    dropLegacy: (teamId: string) =>
      call<{ done: boolean; deleted: Record<string, number> }>(
        'POST',
        `/api/v1/ops/teams/${encodeURIComponent(teamId)}/legacy-rows/delete`,
      ),
  };
}

export type OpsClient = ReturnType<typeof opsClient>;

/** One progress line: `team_… → DB_SHARD_03: step 2, 1500/4000 rows copied`. */
export function progressLine(step: MoveStep, index: number): string {
  const tables = Object.values(step.tables);
  const source = tables.reduce((sum, table) => sum + table.source, 0);
  const target = tables.reduce((sum, table) => sum + Math.min(table.target, table.source), 0);
  const state = step.verified ? 'verified' : step.done ? 'done, NOT verified' : 'copying';
  return `${step.teamId} → ${step.shard}: step ${index}, ${target}/${source} rows in the shard (${state})`;
}

/**
 * Moves one team: steps until done, printing each; then, with `dropLegacy` and a verified move, deletes the
 * legacy rows in steps. Returns the last step. A step that ends done but not verified is an error: the counts differ.
 */
export async function moveTeam(
  client: OpsClient,
  teamId: string,
  options: { budgetRows: number; dropLegacy: boolean; log: (line: string) => void; maxSteps?: number },
): Promise<MoveStep> {
  let cursor: string | null = null;
  for (let index = 1; index <= (options.maxSteps ?? 100_000); index++) {
    const step = await client.moveStep(teamId, options.budgetRows, cursor);
    options.log(progressLine(step, index));
    cursor = step.next;
    if (!step.done) continue;
    if (!step.verified) throw new Error(`${teamId}: copied but not verified; counts: ${JSON.stringify(step.tables)}`);
    if (step.shard === 'DB' || !options.dropLegacy) return step;
    for (;;) {
      const drop = await client.dropLegacy(teamId);
      const rows = Object.values(drop.deleted).reduce((sum, n) => sum + n, 0);
      options.log(`${teamId}: deleted ${rows} legacy rows from DB${drop.done ? ' (done)' : ''}`);
      if (drop.done) return step;
    }
  }
  throw new Error(`${teamId}: not done after ${options.maxSteps} steps`);
}

/** Blanks one team's pre-0016 bodies: steps until done, printing each; returns the rows blanked. */
export async function blankBodies(
  client: OpsClient,
  teamId: string,
  options: { budgetRows: number; log: (line: string) => void; maxSteps?: number },
): Promise<number> {
  let total = 0;
  for (let index = 1; index <= (options.maxSteps ?? 100_000); index++) {
    const step = await client.blankStep(teamId, options.budgetRows);
    total += step.blanked;
    options.log(`${teamId}: step ${index}, ${total} bodies archived and blanked${step.done ? ' (done)' : ''}`);
    if (step.done) return total;
  }
  throw new Error(`${teamId}: not done after ${options.maxSteps} steps`);
}
