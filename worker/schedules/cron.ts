import { runHealthChecks } from '../custom-actions/health.ts';
import type { Env } from '../env.ts';
import { pruneArchive } from '../queue/archive-retention.ts';
import { continueTeamDeletions } from '../team-deletion/sweep.ts';
import { reconcileSchedules } from './reconcile.ts';

/**
 * Team-level periodic work, run by the Worker's one Cron Trigger (wrangler.toml `* * * * *`). Each job says how
 * often it runs, in minutes; it runs on the invocations whose scheduled minute (since the epoch) is a multiple of
 * that, so an invocation at another minute runs none of it. Jobs must be idempotent: a cron invocation may run twice (at-least-once, and `npm start` fires
 * it locally), and heavy work goes to the queue rather than running inside the handler.
 * Later jobs (Open Chat Studio's): evaluation auto-population (5), document-source sync (weekly), usage rollups.
 */
export interface PeriodicJob {
  id: string;
  everyMinutes: number;
  run(env: Env, scheduledTime: number): Promise<void>;
}

export const PERIODIC_JOBS: readonly PeriodicJob[] = [
  // Every minute: a lost alarm is caught within OVERDUE_MARGIN_MS + 1 minute, for one indexed D1 query a minute.
  { id: 'schedules.reconcile', everyMinutes: 1, run: async (env, at) => void (await reconcileSchedules(env, at)) },
  // Each action is checked hourly; running every 5 minutes spreads them (worker/custom-actions/health.ts).
  { id: 'custom-actions.health', everyMinutes: 5, run: async (env, at) => void (await runHealthChecks(env, at)) },
  // Every minute: deleted teams are finished in bounded steps (worker/team-deletion/sweep.ts); one indexed query idle.
  { id: 'teams.delete', everyMinutes: 1, run: async (env) => void (await continueTeamDeletions(env)) },
  // A pass a UTC day, continued each minute until done when it cannot finish in one invocation; with
  // ARCHIVE_RETENTION_DAYS unset it reads nothing (worker/queue/archive-retention.ts).
  { id: 'archive.retention', everyMinutes: 1, run: async (env, at) => void (await pruneArchive(env, at)) },
];

/** The jobs due at a scheduled time (minutes since the epoch, so hours and days line up with UTC). */
export function jobsDue(scheduledTime: number, jobs: readonly PeriodicJob[] = PERIODIC_JOBS): PeriodicJob[] {
  const minute = Math.floor(scheduledTime / 60_000);
  return jobs.filter((job) => minute % job.everyMinutes === 0);
}

/** The Worker's `scheduled` handler: every due job, each on its own (one failing does not skip the others). */
export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const results = await Promise.allSettled(
    jobsDue(controller.scheduledTime).map((job) => job.run(env, controller.scheduledTime)),
  );
  results.forEach((result, i) => {
    if (result.status === 'rejected')
      console.error('periodic job failed', jobsDue(controller.scheduledTime)[i]?.id, String(result.reason));
  });
}
