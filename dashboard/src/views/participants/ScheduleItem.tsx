/**
 * One schedule of the participant: its prompt, chatbot, next due time in the schedule's own zone, recurrence in
 * words, status and counts; pause or resume, move the next occurrence, cancel (after a confirmation), and its
 * attempts on demand.
 */
import { useState } from 'preact/hooks';
import { ErrorBanner } from '../../components/feedback';
import { FieldError, invalid } from '../../components/field-error';
import { formatRelative } from '../../lib/format';
import { del, patch } from '../../lib/http';
import { href } from '../../lib/router';
import { can } from '../../lib/session';
import { useAction } from '../../lib/use-action';
import { AttemptOutcome, ScheduleAttempts } from './ScheduleAttempts';
import { bodyFieldErrors } from './schedule-form';
import { formatZoned, recurrenceText, type Schedule, zonedInstant, zonedLocal } from './schedule-time';

const STATUS: Record<Schedule['status'], { label: string; tone: string }> = {
  active: { label: 'Active', tone: 'live' },
  paused: { label: 'Paused', tone: 'warn' },
  done: { label: 'Done', tone: '' },
  cancelled: { label: 'Cancelled', tone: 'revoked' },
};

const ORIGINS: Record<Schedule['origin'], string> = {
  api: 'created over the API or here',
  llm: 'set by the bot (reminder tool)',
  action: 'created by a trigger action',
};

interface Props {
  participantId: string;
  schedule: Schedule;
  chatbotName: string;
  onChanged: (schedule: Schedule | null) => void;
}

function MoveForm({
  participantId,
  schedule,
  onDone,
}: Omit<Props, 'chatbotName' | 'onChanged'> & {
  onDone: (schedule: Schedule | null) => void;
}) {
  const [local, setLocal] = useState(() => zonedLocal(schedule.nextDueAt ?? Date.now(), schedule.timeZone));
  const action = useAction();
  const errors = bodyFieldErrors(action.error?.details);
  const scope = `move-${schedule.id}`;

  async function submit(event: Event) {
    event.preventDefault();
    const answer: { schedule?: Schedule } = {};
    const ok = await action.run(async () => {
      answer.schedule = await patch<Schedule>(`/api/v1/participants/${participantId}/schedules/${schedule.id}`, {
        nextDueAt: zonedInstant(local, schedule.timeZone) ?? local,
      });
    });
    if (ok && answer.schedule) onDone(answer.schedule);
  }

  return (
    <form class="inline-form" aria-label={`Move the schedule ${schedule.id}`} onSubmit={submit}>
      <label>
        Next due ({schedule.timeZone})
        <input
          required
          type="datetime-local"
          value={local}
          {...invalid(errors, scope, 'nextDueAt')}
          onInput={(e) => setLocal((e.currentTarget as HTMLInputElement).value)}
        />
        <FieldError errors={errors} scope={scope} at="nextDueAt" />
      </label>
      <button type="submit" class="button primary" disabled={action.busy}>
        Move
      </button>
      <button type="button" class="button subtle" onClick={() => onDone(null)}>
        Cancel
      </button>
      {action.error && !errors.has('nextDueAt') && (
        <ErrorBanner title="Couldn't move the schedule" error={action.error} />
      )}
    </form>
  );
}

export function ScheduleItem({ participantId, schedule, chatbotName, onChanged }: Props) {
  const [moving, setMoving] = useState(false);
  const [showAttempts, setShowAttempts] = useState(false);
  const action = useAction();
  const path = `/api/v1/participants/${participantId}/schedules/${schedule.id}`;
  const live = schedule.status === 'active' || schedule.status === 'paused';
  const editable = can('chat') && live;
  const status = STATUS[schedule.status];
  const attemptsId = `attempts-${schedule.id}`;

  async function setStatus(next: 'active' | 'paused') {
    const answer: { schedule?: Schedule } = {};
    await action.run(
      async () => {
        answer.schedule = await patch<Schedule>(path, { status: next });
      },
      next === 'paused' ? 'Paused.' : 'Resumed.',
    );
    if (answer.schedule) onChanged(answer.schedule);
  }

  async function cancel() {
    if (!window.confirm(`Cancel this schedule? It will send nothing more.\n\n“${schedule.prompt}”`)) return;
    if (await action.run(() => del(path), 'Cancelled.')) onChanged(null);
  }

  return (
    <article class="schedule" aria-label={`Schedule ${schedule.id}`}>
      <div class="row schedule-head">
        <p class="schedule-prompt grow">{schedule.prompt}</p>
        <span class={`badge ${status.tone}`}>{status.label}</span>
      </div>
      <dl class="facts schedule-facts">
        <div>
          <dt>Chatbot</dt>
          <dd>
            <a href={href('chatbots', schedule.chatbotId)}>{chatbotName}</a>
          </dd>
        </div>
        <div>
          <dt>Next due</dt>
          <dd>{live ? formatZoned(schedule.nextDueAt, schedule.timeZone) : '—'}</dd>
        </div>
        <div>
          <dt>Repeats</dt>
          <dd>{recurrenceText(schedule.repeat, schedule.timeZone)}</dd>
        </div>
        <div>
          <dt>Sent · failed</dt>
          <dd>
            {schedule.firedCount} · {schedule.failedCount}
          </dd>
        </div>
        <div>
          <dt>Last outcome</dt>
          <dd>
            {schedule.lastOutcome ? (
              <>
                <AttemptOutcome outcome={schedule.lastOutcome} />{' '}
                <span class="muted small">{formatRelative(schedule.lastAttemptAt)}</span>
              </>
            ) : (
              <span class="muted">Not sent yet</span>
            )}
          </dd>
        </div>
      </dl>
      <p class="muted small">
        <code>{schedule.id}</code> · {ORIGINS[schedule.origin]} {formatRelative(schedule.createdAt)} · times in{' '}
        {schedule.timeZone}
      </p>
      {moving ? (
        <MoveForm
          participantId={participantId}
          schedule={schedule}
          onDone={(moved) => {
            setMoving(false);
            if (moved) {
              action.setNotice('Moved.');
              onChanged(moved);
            }
          }}
        />
      ) : (
        <div class="row">
          {editable && schedule.status === 'active' && (
            <button type="button" class="button subtle" disabled={action.busy} onClick={() => void setStatus('paused')}>
              Pause
            </button>
          )}
          {editable && schedule.status === 'paused' && (
            <button type="button" class="button subtle" disabled={action.busy} onClick={() => void setStatus('active')}>
              Resume
            </button>
          )}
          {editable && (
            <button type="button" class="button subtle" onClick={() => setMoving(true)}>
              Move
            </button>
          )}
          <button
            type="button"
            class="button subtle"
            aria-expanded={showAttempts}
            aria-controls={attemptsId}
            onClick={() => setShowAttempts(!showAttempts)}
          >
            {showAttempts ? 'Hide attempts' : 'Attempts'}
          </button>
          {editable && (
            <button type="button" class="button subtle danger" disabled={action.busy} onClick={() => void cancel()}>
              Cancel schedule
            </button>
          )}
        </div>
      )}
      {action.error && <ErrorBanner title="Couldn't change the schedule" error={action.error} />}
      {action.notice && (
        <p class="muted small" role="status">
          {action.notice}
        </p>
      )}
      <div id={attemptsId}>
        {showAttempts && <ScheduleAttempts participantId={participantId} schedule={schedule} />}
      </div>
    </article>
  );
}
