import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { oldestKeptDay, pruneArchive, RETENTION_STATE_KEY, retentionDays } from './archive-retention.ts';

const NOW = Date.UTC(2026, 5, 30, 0, 1);

async function keys(prefix: string): Promise<string[]> {
  return (await env.FILES.list({ prefix })).objects.map((object) => object.key).sort();
}

describe('archive retention (worker/queue/archive-retention.ts)', () => {
  it('reads the setting: off unless a positive whole number of days', () => {
    expect([undefined, '', '0', '-3', '1.5', 'x'].map(retentionDays)).toEqual([null, null, null, null, null, null]);
    expect(retentionDays('30')).toBe(30);
    expect(oldestKeptDay(NOW, 30)).toBe('2026-05-31');
  });

  it('deletes day prefixes older than N days, in bounded steps that resume, once a day', async () => {
    const teams = ['team_ret_a', 'team_ret_b', 'team_ret_c'];
    const days = ['2026-04-01', '2026-05-30', '2026-05-31', '2026-06-29'];
    for (const team of teams)
      for (const day of days) for (const n of [1, 2]) await env.FILES.put(`archive/${team}/${day}/${n}.ndjson`, '{}\n');
    await env.FILES.put('teams/team_ret_a/conversations/c/f', 'not archive');

    expect(await pruneArchive({ FILES: env.FILES }, NOW)).toBeNull();
    const on = { FILES: env.FILES, ARCHIVE_RETENTION_DAYS: '30' };
    // A budget of 8 subrequests: not enough for the whole pass, which continues on the next call.
    const first = await pruneArchive(on, NOW, 8);
    expect(first?.finished).toBe(false);
    expect(first?.deleted.length).toBeGreaterThan(0);
    const steps = [first];
    for (let i = 0; i < 10 && !steps.at(-1)?.finished; i++) steps.push(await pruneArchive(on, NOW, 8));
    expect(steps.at(-1)?.finished).toBe(true);
    const deleted = steps.flatMap((step) => step?.deleted ?? []).sort();
    expect(deleted).toEqual(
      teams.flatMap((team) => [`archive/${team}/2026-04-01/`, `archive/${team}/2026-05-30/`]).sort(),
    );
    for (const team of teams)
      expect(await keys(`archive/${team}/`)).toEqual(
        ['2026-05-31', '2026-06-29'].flatMap((day) => [1, 2].map((n) => `archive/${team}/${day}/${n}.ndjson`)),
      );
    expect(await keys('teams/team_ret_a/')).toHaveLength(1);
    // Today's pass is done: the next minutes read one object and stop; tomorrow's pass runs again.
    expect(await pruneArchive(on, NOW + 60_000)).toBeNull();
    const tomorrow = await pruneArchive(on, NOW + 86_400_000);
    expect(tomorrow).toEqual({ deleted: teams.map((team) => `archive/${team}/2026-05-31/`), finished: true });
    expect(await env.FILES.head(RETENTION_STATE_KEY)).not.toBeNull();
  });
});
