/** A schedule's attempts, newest first (the API keeps the last 100), loaded when the admin opens them. */
import { ErrorBanner, Loading } from '../../components/feedback';
import { formatDateTime } from '../../lib/format';
import { get } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import { formatZoned, type Schedule, type ScheduleAttempt } from './schedule-time';

const OUTCOMES: Record<ScheduleAttempt['outcome'], { label: string; tone: string }> = {
  ok: { label: 'Sent', tone: 'live' },
  duplicate: { label: 'Already sent', tone: '' },
  ended: { label: 'Conversation ended', tone: '' },
  retrying: { label: 'Failed, retrying', tone: 'warn' },
  failed: { label: 'Failed', tone: 'error' },
};

export function AttemptOutcome({ outcome }: { outcome: string }) {
  const known = OUTCOMES[outcome as ScheduleAttempt['outcome']];
  return <span class={`badge ${known?.tone ?? ''}`}>{known?.label ?? outcome}</span>;
}

export function ScheduleAttempts({ participantId, schedule }: { participantId: string; schedule: Schedule }) {
  const [state, reload] = useResource(
    (signal) =>
      get<{ data: ScheduleAttempt[] }>(`/api/v1/participants/${participantId}/schedules/${schedule.id}/attempts`, {
        signal,
      }),
    [participantId, schedule.id, schedule.updatedAt],
  );
  if (state.status === 'loading') return <Loading what="attempts" />;
  if (state.status === 'error')
    return <ErrorBanner title="Couldn't load the attempts" error={state.error} onRetry={reload} />;
  const attempts = state.value.data;
  if (attempts.length === 0)
    return (
      <p class="muted small">
        No attempts yet.{' '}
        {schedule.nextDueAt && schedule.status === 'active'
          ? `The first is due ${formatZoned(schedule.nextDueAt, schedule.timeZone)}.`
          : 'A paused schedule makes none until it is resumed.'}
      </p>
    );
  return (
    <div class="table-scroll">
      <table class="table compact" aria-label={`Attempts of the schedule ${schedule.id}`}>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Occurrence due</th>
            <th scope="col" class="num">
              Try
            </th>
            <th scope="col">Outcome</th>
            <th scope="col">Error</th>
            <th scope="col">Conversation</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((attempt) => (
            <tr key={`${attempt.dueAt}-${attempt.attempt}`}>
              <td class="muted">{formatDateTime(attempt.at)}</td>
              <td>{formatZoned(attempt.dueAt, schedule.timeZone)}</td>
              <td class="num">{attempt.attempt}</td>
              <td>
                <AttemptOutcome outcome={attempt.outcome} />
              </td>
              <td class="wrap">{attempt.error ?? '—'}</td>
              <td>
                {attempt.conversationId ? (
                  <a
                    href={href('conversations', attempt.conversationId)}
                    aria-label={`Open conversation ${attempt.conversationId}`}
                  >
                    Open
                  </a>
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
