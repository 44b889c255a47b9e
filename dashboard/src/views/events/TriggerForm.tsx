/**
 * The form of one trigger: its id and type, the type's own fields, its conditions and its 1–5 actions. Submitting
 * hands the trigger to the tab, which saves the whole section; the API's errors come back keyed by field.
 */
import { useState } from 'preact/hooks';
import type { EndedBy } from '../../../../worker/events/schemas.ts';
import { type Errors, FieldError, invalid } from '../../components/field-error';
import type { ChatbotSummary } from '../../lib/types';
import { ActionFields, type PluginConfigChoice } from './ActionFields';
import { ENDED_BY, TRIGGER_TYPES } from './labels';
import {
  type ConditionFields,
  conditionFields,
  conditionsOf,
  DELAY_UNITS,
  type DelayUnit,
  type EventTrigger,
  errorsUnder,
  joinSeconds,
  MAX_ACTIONS,
  newAction,
  removeItem,
  replaceItem,
  splitSeconds,
  withTriggerType,
} from './trigger-form';

interface Props {
  initial: EventTrigger;
  /** The trigger's place in the section (`triggers.3`), for unique ids. */
  scope: string;
  /** The API's errors for this trigger, keyed relative to it (`actions.0.prompt`). */
  errors: Errors;
  chatbots: readonly ChatbotSummary[];
  configs: readonly PluginConfigChoice[];
  busy: boolean;
  onSubmit: (trigger: EventTrigger) => void;
  onCancel: () => void;
}

const text = (event: Event) => (event.currentTarget as HTMLInputElement).value;

function ConditionsFields({
  fields,
  errors,
  scope,
  onChange,
}: {
  fields: ConditionFields;
  errors: Errors;
  scope: string;
  onChange: (fields: ConditionFields) => void;
}) {
  const input = (key: keyof ConditionFields, label: string, at: string, placeholder?: string) => (
    <label>
      {label}
      <input
        value={fields[key]}
        placeholder={placeholder}
        {...invalid(errors, scope, at)}
        onInput={(e) => onChange({ ...fields, [key]: text(e) })}
      />
      <FieldError errors={errors} scope={scope} at={at} />
    </label>
  );
  return (
    <fieldset class="event-conditions">
      <legend>Only when (all that are set must hold)</legend>
      <div class="grid-2">
        {input('channels', 'Channels (comma-separated)', 'conditions.channels', 'widget, api, telegram')}
        {input('hasTag', 'The conversation has the tag', 'conditions.hasTag')}
      </div>
      <div class="grid-2">
        {input('sessionKey', 'Session state key', 'conditions.sessionState.key')}
        {input('sessionEquals', 'Session state equals', 'conditions.sessionState.equals', 'text, 42, true or null')}
      </div>
      <div class="grid-2">
        {input('dataKey', 'Participant data key', 'conditions.participantData.key')}
        {input('dataEquals', 'Participant data equals', 'conditions.participantData.equals', 'text, 42, true or null')}
      </div>
    </fieldset>
  );
}

function InactivityFields({
  trigger,
  errors,
  scope,
  onChange,
}: {
  trigger: Extract<EventTrigger, { on: 'inactivity' }>;
  errors: Errors;
  scope: string;
  onChange: (trigger: EventTrigger) => void;
}) {
  const [delay, setDelay] = useState(() => splitSeconds(trigger.delaySeconds));
  const setAmount = (amount: number, unit: DelayUnit) => {
    setDelay({ amount, unit });
    onChange({ ...trigger, delaySeconds: joinSeconds(amount, unit) });
  };
  return (
    <div class="grid-3">
      <div class="row">
        <label class="grow">
          Delay (10 s to 30 days)
          <input
            type="number"
            min={1}
            step={1}
            value={Number.isNaN(delay.amount) ? '' : delay.amount}
            {...invalid(errors, scope, 'delaySeconds')}
            onInput={(e) => setAmount((e.currentTarget as HTMLInputElement).valueAsNumber, delay.unit)}
          />
          <FieldError errors={errors} scope={scope} at="delaySeconds" />
        </label>
        <label>
          Delay unit
          <select value={delay.unit} onChange={(e) => setAmount(delay.amount, text(e) as DelayUnit)}>
            {DELAY_UNITS.map(([unit]) => (
              <option key={unit} value={unit}>
                {unit}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label>
        Counted from the participant's
        <select
          value={trigger.from}
          onChange={(e) =>
            onChange({ ...trigger, from: text(e) === 'first_message' ? 'first_message' : 'last_message' })
          }
        >
          <option value="last_message">last message</option>
          <option value="first_message">first message</option>
        </select>
      </label>
      <label>
        Times (1–10)
        <input
          type="number"
          min={1}
          max={10}
          step={1}
          value={Number.isNaN(trigger.times) ? '' : trigger.times}
          {...invalid(errors, scope, 'times')}
          onInput={(e) => onChange({ ...trigger, times: (e.currentTarget as HTMLInputElement).valueAsNumber })}
        />
        <FieldError errors={errors} scope={scope} at="times" />
      </label>
    </div>
  );
}

function EndedByFields({
  trigger,
  onChange,
}: {
  trigger: Extract<EventTrigger, { on: 'conversation_ended' }>;
  onChange: (trigger: EventTrigger) => void;
}) {
  const chosen = new Set<EndedBy>(trigger.by ?? []);
  const toggle = (who: EndedBy, on: boolean) => {
    const next = ENDED_BY.map(([key]) => key).filter((key) => (key === who ? on : chosen.has(key)));
    const { by: _by, ...rest } = trigger;
    onChange(next.length > 0 ? { ...rest, by: next } : rest);
  };
  return (
    <fieldset class="plain">
      <legend>Ended by (none ticked: anyone)</legend>
      <div class="checks">
        {ENDED_BY.map(([who, label]) => (
          <label key={who} class="checkbox">
            <input
              type="checkbox"
              checked={chosen.has(who)}
              onChange={(e) => toggle(who, (e.currentTarget as HTMLInputElement).checked)}
            />
            {label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function TriggerForm({ initial, scope, errors, chatbots, configs, busy, onSubmit, onCancel }: Props) {
  const [trigger, setTrigger] = useState<EventTrigger>(initial);
  const [conditions, setConditions] = useState(() => conditionFields(initial.conditions));

  function submit(event: Event) {
    event.preventDefault();
    const { conditions: _old, ...rest } = trigger;
    const set = conditionsOf(conditions);
    onSubmit(set ? { ...rest, conditions: set } : rest);
  }

  return (
    <form class="card form event-trigger-form" onSubmit={submit} aria-label={`Trigger ${trigger.id || 'new'}`}>
      <div class="grid-2">
        <label>
          Trigger id
          <input
            required
            maxLength={40}
            pattern="[a-z][a-z0-9_\-]{0,39}"
            value={trigger.id}
            {...invalid(errors, scope, 'id')}
            onInput={(e) => setTrigger({ ...trigger, id: text(e) })}
          />
          <span class="field-hint">Lowercase letters, digits, - and _; shown in the event log.</span>
          <FieldError errors={errors} scope={scope} at="id" />
        </label>
        <label>
          When
          <select
            value={trigger.on}
            onChange={(e) => setTrigger(withTriggerType(trigger, text(e) as EventTrigger['on']))}
          >
            {TRIGGER_TYPES.map(([type, label]) => (
              <option key={type} value={type}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {trigger.on === 'inactivity' && (
        <InactivityFields trigger={trigger} errors={errors} scope={scope} onChange={setTrigger} />
      )}
      {trigger.on === 'conversation_ended' && <EndedByFields trigger={trigger} onChange={setTrigger} />}
      <ConditionsFields fields={conditions} errors={errors} scope={scope} onChange={setConditions} />
      <h3>Actions</h3>
      <FieldError errors={errors} scope={scope} at="actions" />
      {trigger.actions.map((action, index) => (
        <ActionFields
          // Actions have no id; a position identifies one while the form is open.
          key={index}
          action={action}
          label={`Action ${index + 1}`}
          scope={`${scope}-actions-${index}`}
          errors={errorsUnder(errors, `actions.${index}`)}
          chatbots={chatbots}
          configs={configs}
          onChange={(next) => setTrigger({ ...trigger, actions: replaceItem(trigger.actions, index, next) })}
          onRemove={
            trigger.actions.length > 1
              ? () => setTrigger({ ...trigger, actions: removeItem(trigger.actions, index) })
              : undefined
          }
        />
      ))}
      <div class="row">
        {trigger.actions.length < MAX_ACTIONS && (
          <button
            type="button"
            class="button"
            onClick={() => setTrigger({ ...trigger, actions: [...trigger.actions, newAction('bot_message')] })}
          >
            Add action
          </button>
        )}
        <span class="grow" />
        <button type="button" class="button subtle" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save trigger'}
        </button>
      </div>
      <FieldError errors={errors} scope={scope} at="" />
    </form>
  );
}
