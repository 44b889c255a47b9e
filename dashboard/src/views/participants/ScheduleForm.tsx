/**
 * The form that schedules a message to a participant: chatbot, prompt, first time in a time zone (the participant's
 * `timezone` data for that chatbot by default, else the browser's), and an optional repeat every N units, N times or
 * until a date. The API's 400 names the field; its message is shown under that field.
 */
import { useState } from 'preact/hooks';
import type { ChatbotParticipantData } from '../../../../worker/participant-data/schemas.ts';
import { ErrorBanner } from '../../components/feedback';
import { FieldError, invalid } from '../../components/field-error';
import { post } from '../../lib/http';
import type { ChatbotSummary } from '../../lib/types';
import { useAction } from '../../lib/use-action';
import { bodyFieldErrors, defaultTimeZone, isTimeZone } from './schedule-form';
import {
  REPEAT_UNITS,
  type RepeatUnit,
  type Schedule,
  type ScheduleFields,
  scheduleBody,
  zonedLocal,
} from './schedule-time';

interface Props {
  participantId: string;
  chatbots: readonly ChatbotSummary[];
  chatbotData: readonly ChatbotParticipantData[];
  profile: Record<string, unknown> | null | undefined;
  onCreated: (schedule: Schedule) => void;
  onCancel: () => void;
}

const SCOPE = 'new-schedule';
const HOUR_MS = 3_600_000;
/** The runtime's IANA zones, offered as the time zone field's suggestions (any valid name is accepted). */
const TIME_ZONES: readonly string[] = Intl.supportedValuesOf?.('timeZone') ?? [];
const text = (event: Event) => (event.currentTarget as HTMLInputElement).value;

/** The next full hour, as a wall time in `timeZone`: a first time that is valid as it stands. */
const nextHour = (timeZone: string) => zonedLocal(Math.ceil((Date.now() + 60_000) / HOUR_MS) * HOUR_MS, timeZone);

export function ScheduleForm({ participantId, chatbots, chatbotData, profile, onCreated, onCancel }: Props) {
  const firstBot = chatbots[0]?.id ?? '';
  const [fields, setFields] = useState<ScheduleFields>(() => {
    const timeZone = defaultTimeZone(chatbotData, firstBot, profile);
    return {
      chatbotId: firstBot,
      prompt: '',
      at: nextHour(timeZone),
      timeZone,
      repeats: false,
      every: '1',
      unit: 'days',
      times: '',
      until: '',
    };
  });
  // Once the admin picks a zone, choosing another chatbot no longer replaces it with that chatbot's default.
  const [zoneChosen, setZoneChosen] = useState(false);
  const action = useAction();
  const errors = bodyFieldErrors(action.error?.details);
  const set = (patch: Partial<ScheduleFields>) => setFields((current) => ({ ...current, ...patch }));

  async function submit(event: Event) {
    event.preventDefault();
    // "Until" is a day: the series may run through the end of it, in the schedule's zone.
    // A zone the runtime does not know is sent as typed, for the API to refuse under its field; the times are then
    // read as UTC, so that refusal is the only one (not also "at").
    const zone = isTimeZone(fields.timeZone) ? fields.timeZone : 'UTC';
    const body = {
      ...scheduleBody({ ...fields, timeZone: zone, until: fields.until && `${fields.until}T23:59` }),
      timeZone: fields.timeZone,
    };
    const answer: { schedule?: Schedule } = {};
    await action.run(async () => {
      answer.schedule = await post<Schedule>(`/api/v1/participants/${participantId}/schedules`, body);
    });
    if (answer.schedule) onCreated(answer.schedule);
  }

  return (
    <form class="form schedule-form" aria-label="New schedule" onSubmit={submit}>
      <div class="grid-2">
        <label>
          Chatbot
          <select
            required
            value={fields.chatbotId}
            {...invalid(errors, SCOPE, 'chatbotId')}
            onChange={(e) => {
              const chatbotId = text(e);
              set(
                zoneChosen ? { chatbotId } : { chatbotId, timeZone: defaultTimeZone(chatbotData, chatbotId, profile) },
              );
            }}
          >
            {chatbots.map((bot) => (
              <option key={bot.id} value={bot.id}>
                {bot.name}
              </option>
            ))}
          </select>
          <FieldError errors={errors} scope={SCOPE} at="chatbotId" />
        </label>
        <label>
          Time zone
          <input
            required
            list="time-zones"
            maxLength={64}
            spellcheck={false}
            value={fields.timeZone}
            {...invalid(errors, SCOPE, 'timeZone')}
            onInput={(e) => {
              setZoneChosen(true);
              set({ timeZone: text(e) });
            }}
          />
          <span class="field-hint">
            An IANA name. The default is the participant's <code>timezone</code> data for this chatbot, else your
            browser's.
          </span>
          <FieldError errors={errors} scope={SCOPE} at="timeZone" />
        </label>
      </div>
      <label>
        Prompt for the bot
        <textarea
          required
          rows={3}
          maxLength={4000}
          value={fields.prompt}
          {...invalid(errors, SCOPE, 'prompt')}
          onInput={(e) => set({ prompt: text(e) })}
        />
        <span class="field-hint">An instruction: the participant sees only the bot's reply.</span>
        <FieldError errors={errors} scope={SCOPE} at="prompt" />
      </label>
      <div class="grid-2">
        <label>
          First time (in the time zone above)
          <input
            required
            type="datetime-local"
            value={fields.at}
            {...invalid(errors, SCOPE, 'at')}
            onInput={(e) => set({ at: text(e) })}
          />
          <FieldError errors={errors} scope={SCOPE} at="at" />
        </label>
        <label class="checkbox align-end">
          <input
            type="checkbox"
            checked={fields.repeats}
            onChange={(e) => set({ repeats: (e.currentTarget as HTMLInputElement).checked })}
          />
          Repeat
        </label>
      </div>
      {fields.repeats && (
        <fieldset class="plain">
          <legend>How it repeats</legend>
          <div class="grid-4">
            <label>
              Every
              <input
                type="number"
                min={1}
                max={1000}
                step={1}
                value={fields.every}
                {...invalid(errors, SCOPE, 'repeat.every')}
                onInput={(e) => set({ every: text(e) })}
              />
              <FieldError errors={errors} scope={SCOPE} at="repeat.every" />
            </label>
            <label>
              Unit
              <select value={fields.unit} onChange={(e) => set({ unit: text(e) as RepeatUnit })}>
                {REPEAT_UNITS.map((unit) => (
                  <option key={unit} value={unit}>
                    {unit}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Times in all (empty: no limit)
              <input
                type="number"
                min={1}
                max={10000}
                step={1}
                value={fields.times}
                {...invalid(errors, SCOPE, 'repeat.times')}
                onInput={(e) => set({ times: text(e) })}
              />
              <FieldError errors={errors} scope={SCOPE} at="repeat.times" />
            </label>
            <label>
              Until (last day, optional)
              <input
                type="date"
                value={fields.until}
                {...invalid(errors, SCOPE, 'repeat.until')}
                onInput={(e) => set({ until: text(e) })}
              />
              <FieldError errors={errors} scope={SCOPE} at="repeat.until" />
            </label>
          </div>
        </fieldset>
      )}
      {action.error && <ErrorBanner title="Couldn't create the schedule" error={action.error} />}
      <div class="row">
        <span class="grow" />
        <button type="button" class="button subtle" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="button primary" disabled={action.busy || !fields.chatbotId}>
          {action.busy ? 'Scheduling…' : 'Schedule'}
        </button>
      </div>
      <FieldError errors={errors} scope={SCOPE} at="" />
      <datalist id="time-zones">
        {TIME_ZONES.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
    </form>
  );
}
