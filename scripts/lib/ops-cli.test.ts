import { describe, expect, it } from 'vitest';
import {
  blankBodies,
  type Fetch,
  type MoveStep,
  moveTeam,
  opsClient,
  parseArgs,
  progressLine,
  UsageError,
} from './ops-cli.ts';

const URL_ = 'https://parley.example';

describe('npm run ops: arguments', () => {
  it('parses the commands and refuses what is missing or wrong', () => {
    expect(parseArgs(['move-team', 'team_1', '--url', `${URL_}/x`])).toEqual({
      name: 'move-team',
      url: URL_,
      teamId: 'team_1',
      budgetRows: 1_000,
      dropLegacy: false,
    });
    expect(parseArgs(['move-all', '--url', URL_, '--budget', '500', '--drop-legacy'])).toEqual({
      name: 'move-all',
      url: URL_,
      budgetRows: 500,
      dropLegacy: true,
    });
    expect(parseArgs(['teams', '--url', URL_])).toEqual({ name: 'teams', url: URL_ });
    expect(parseArgs(['blank-bodies', 'team_1', '--url', URL_, '--budget', '200'])).toEqual({
      name: 'blank-bodies',
      url: URL_,
      teamId: 'team_1',
      budgetRows: 200,
    });
    expect(parseArgs(['blank-all', '--url', URL_])).toEqual({ name: 'blank-all', url: URL_, budgetRows: 1_000 });
    for (const argv of [
      ['blank-bodies', '--url', URL_],
      ['blank-all', 'team_1', '--url', URL_],
      ['move-team', 'team_1'],
      ['move-team', '--url', URL_],
      ['move-all', 'team_1', '--url', URL_],
      ['move-team', 't', '--url', 'not a url'],
      ['move-team', 't', '--url', URL_, '--budget', '0'],
      ['move-team', 't', '--url', URL_, '--budget', '2001'],
      ['move-team', 't', '--url', URL_, '--force'],
      ['--url', URL_],
    ])
      expect(() => parseArgs(argv), argv.join(' ')).toThrow(UsageError);
  });
});

/** A fake operator API: the move copies `budgetRows` of `total` rows per step, as the route does. */
function fakeApi(total: number, options: { verified?: boolean; legacyPages?: number } = {}) {
  const calls: { method: string; path: string; body: unknown; auth: string | null }[] = [];
  let legacyPages = options.legacyPages ?? 1;
  const fetcher: Fetch = async (url, init) => {
    const path = url.slice(URL_.length);
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method: String(init.method), path, body, auth: new Headers(init.headers).get('authorization') });
    if (path.endsWith('/move')) {
      const { budgetRows, cursor } = body as { budgetRows: number; cursor: string | null };
      const copied = Math.min(total, (cursor ? Number(cursor.split(':')[1]) : 0) + budgetRows);
      const done = copied >= total;
      const step: MoveStep = {
        teamId: 'team_1',
        shard: 'DB_SHARD_03',
        done,
        verified: done && options.verified !== false,
        next: done ? null : `messages:${copied}`,
        tables: { messages: { source: total, target: copied, copied: budgetRows } },
      };
      return Response.json(step);
    }
    if (path.endsWith('/legacy-rows/delete'))
      return Response.json({ done: --legacyPages <= 0, deleted: { messages: 10 } });
    return Response.json({ error: { code: 'not_found', message: 'No route' } }, { status: 404 });
  };
  return { calls, client: opsClient(URL_, 'tok', fetcher) };
}

describe('npm run ops: moving a team', () => {
  it('calls the step route with the previous cursor until done, printing progress, then drops the legacy rows', async () => {
    const { calls, client } = fakeApi(25, { legacyPages: 2 });
    const lines: string[] = [];
    const last = await moveTeam(client, 'team_1', { budgetRows: 10, dropLegacy: true, log: (l) => lines.push(l) });
    expect(last).toMatchObject({ done: true, verified: true });
    expect(calls.map((call) => call.body)).toEqual([
      { budgetRows: 10, cursor: null },
      { budgetRows: 10, cursor: 'messages:10' },
      { budgetRows: 10, cursor: 'messages:20' },
      undefined,
      undefined,
    ]);
    expect(calls.every((call) => call.auth === 'Bearer tok')).toBe(true);
    expect(lines).toEqual([
      'team_1 → DB_SHARD_03: step 1, 10/25 rows in the shard (copying)',
      'team_1 → DB_SHARD_03: step 2, 20/25 rows in the shard (copying)',
      'team_1 → DB_SHARD_03: step 3, 25/25 rows in the shard (verified)',
      'team_1: deleted 10 legacy rows from DB',
      'team_1: deleted 10 legacy rows from DB (done)',
    ]);
  });

  it('stops with an error when a finished copy is not verified, and never drops the legacy rows then', async () => {
    const { calls, client } = fakeApi(5, { verified: false });
    await expect(moveTeam(client, 'team_1', { budgetRows: 10, dropLegacy: true, log: () => {} })).rejects.toThrow(
      /not verified/,
    );
    expect(calls.some((call) => call.path.includes('legacy-rows'))).toBe(false);
  });

  it('reports an error answer with its message', async () => {
    const { client } = fakeApi(5);
    await expect(client.teams()).rejects.toThrow('GET /api/v1/ops/teams?limit=500 → 404: No route');
  });

  it('prints a step as copied rows over the source rows', () => {
    const step: MoveStep = {
      teamId: 't',
      shard: 'DB_SHARD_01',
      done: false,
      verified: false,
      next: 'messages:1',
      // The shard may hold more than DB (rows the consumer wrote there since): not counted past the source.
      tables: { conversations: { source: 2, target: 5, copied: 2 }, messages: { source: 10, target: 4, copied: 4 } },
    };
    expect(progressLine(step, 3)).toBe('t → DB_SHARD_01: step 3, 6/12 rows in the shard (copying)');
  });

  it('blanks a team step by step until the route says done', async () => {
    const calls: unknown[] = [];
    let left = 7;
    const fetcher: Fetch = async (url, init) => {
      calls.push({ url, body: JSON.parse(String(init.body)) });
      const blanked = Math.min(left, 3);
      left -= blanked;
      return Response.json({ teamId: 'team_1', blanked, done: left === 0 && blanked < 3 });
    };
    const lines: string[] = [];
    const total = await blankBodies(opsClient(URL_, 'tok', fetcher), 'team_1', {
      budgetRows: 3,
      log: (line) => lines.push(line),
    });
    expect(total).toBe(7);
    expect(calls).toHaveLength(3);
    expect(calls[0]).toEqual({ url: `${URL_}/api/v1/ops/teams/team_1/bodies/blank`, body: { budgetRows: 3 } });
    expect(lines.at(-1)).toBe('team_1: step 3, 7 bodies archived and blanked (done)');
  });
});
