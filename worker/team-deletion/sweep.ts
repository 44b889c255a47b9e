import type { Env } from '../env.ts';
import { type Budget, deleteTeamStep, MIN_STEP_SUBREQUESTS, STEP_SUBREQUESTS, type TeamDeletionStep } from './steps.ts';

/** Teams continued per sweep, oldest deletion first; the rest wait for the next minute. */
const TEAMS_PER_SWEEP = 5;

/**
 * The Cron Trigger's job (worker/schedules/cron.ts, every minute): continues every team marked deleted, oldest
 * first, sharing one step's subrequest budget, so a deletion interrupted anywhere (an isolate lost after the
 * owner's request, a failing step) is finished within minutes. One indexed query when nothing is being deleted.
 */
export async function continueTeamDeletions(env: Env): Promise<TeamDeletionStep[]> {
  const { results } = await env.DB.prepare(
    'SELECT id FROM teams WHERE deleted_at IS NOT NULL ORDER BY deleted_at LIMIT ?1',
  )
    .bind(TEAMS_PER_SWEEP)
    .all<{ id: string }>();
  const budget: Budget = { left: STEP_SUBREQUESTS - 1 };
  const steps: TeamDeletionStep[] = [];
  for (const { id } of results) {
    if (budget.left < MIN_STEP_SUBREQUESTS) break;
    try {
      steps.push(await deleteTeamStep(env, id, budget));
    } catch (error) {
      // One team's failure must not hold up the others; the next sweep tries it again.
      console.error(
        JSON.stringify({ level: 'error', event: 'team.delete_step_failed', teamId: id, error: String(error) }),
      );
    }
  }
  return steps;
}
