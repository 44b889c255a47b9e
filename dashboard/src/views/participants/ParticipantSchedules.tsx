/**
 * The participant's scheduled messages (docs/schedules.md), read from their own object: live ones first, soonest
 * first, then done and cancelled ones; a form to schedule a new one.
 */
import { useState } from 'preact/hooks';
import type { ParticipantDataList } from '../../../../worker/participant-data/schemas.ts';
import { Empty, ErrorBanner, Loading, Notice } from '../../components/feedback';
import { getAll } from '../../lib/get-all';
import { get } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { can } from '../../lib/session';
import type { ChatbotSummary } from '../../lib/types';
import { ScheduleForm } from './ScheduleForm';
import { ScheduleItem } from './ScheduleItem';
import { scheduleOrder } from './schedule-form';
import { formatZoned, type Schedule } from './schedule-time';

interface Props {
  participantId: string;
  /** The team-wide profile, whose `timezone` is the second default of a new schedule's zone. */
  profile: Record<string, unknown> | null | undefined;
}

export function ParticipantSchedules({ participantId, profile }: Props) {
  const base = `/api/v1/participants/${participantId}`;
  const [state, reload, replace] = useResource(
    (signal) => get<{ data: Schedule[] }>(`${base}/schedules`, { signal }),
    [participantId],
  );
  const [choices] = useResource(
    (signal) =>
      Promise.all([
        getAll<ChatbotSummary>('/api/v1/chatbots', { signal }),
        get<ParticipantDataList>(`${base}/data`, { signal }),
      ]),
    [participantId],
  );
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [chatbots, chatbotData] = choices.status === 'ready' ? [choices.value[0], choices.value[1].data] : [[], []];
  const names = new Map(chatbots.map((bot) => [bot.id, bot.name]));

  const list = state.status === 'ready' ? [...state.value.data].sort(scheduleOrder) : [];
  const put = (schedule: Schedule) => {
    if (state.status !== 'ready') return reload();
    const others = state.value.data.filter((s) => s.id !== schedule.id);
    replace({ data: [schedule, ...others] });
  };

  return (
    <section class="card" aria-labelledby="schedules-heading">
      <div class="row">
        <h2 class="grow" id="schedules-heading">
          Schedules
        </h2>
        {can('chat') && !creating && (
          <button
            type="button"
            class="button primary"
            disabled={chatbots.length === 0}
            onClick={() => {
              setNotice(null);
              setCreating(true);
            }}
          >
            New schedule
          </button>
        )}
      </div>
      <p class="muted small">
        Messages a chatbot sends this person at set times: the prompt goes to the bot, and its reply reaches them on
        their latest conversation with that chatbot. Times are in each schedule's own time zone.
      </p>
      {notice && <Notice>{notice}</Notice>}
      {creating && (
        <ScheduleForm
          participantId={participantId}
          chatbots={chatbots}
          chatbotData={chatbotData}
          profile={profile}
          onCreated={(schedule) => {
            setCreating(false);
            setNotice(`Scheduled: first due ${formatZoned(schedule.nextDueAt, schedule.timeZone)}.`);
            put(schedule);
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      {state.status === 'loading' && <Loading what="schedules" />}
      {state.status === 'error' && (
        <ErrorBanner title="Couldn't load the schedules" error={state.error} onRetry={reload} />
      )}
      {state.status === 'ready' && list.length === 0 && !creating && (
        <Empty title="No schedules for this participant.">
          Schedule a message here, over the API, with a trigger's "Schedule a message" action, or let a chatbot set
          reminders with its reminder tools.
        </Empty>
      )}
      {list.length > 0 && (
        <ul class="schedules" aria-label="Schedules">
          {list.map((schedule) => (
            <li key={schedule.id}>
              <ScheduleItem
                participantId={participantId}
                schedule={schedule}
                chatbotName={names.get(schedule.chatbotId) ?? schedule.chatbotId}
                onChanged={(changed) => (changed ? put(changed) : reload())}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
