/** The form of one action of a trigger, by type (worker/events/action-schemas.ts). */

import { type Errors, FieldError, invalid } from '../../components/field-error';
import type { ChatbotSummary } from '../../lib/types';
import { ACTION_TYPES } from './labels';
import { type EventAction, newAction } from './trigger-form';

export interface PluginConfigChoice {
  id: string;
  name: string;
  pluginId: string;
}

interface Props {
  action: EventAction;
  /** "Action 2", for the labels of its fields and buttons. */
  label: string;
  /** The action's place in the section (`triggers.0.actions.1`), so ids are unique on the page. */
  scope: string;
  errors: Errors;
  chatbots: readonly ChatbotSummary[];
  configs: readonly PluginConfigChoice[];
  onChange: (action: EventAction) => void;
  onRemove?: () => void;
}

const text = (event: Event) => (event.currentTarget as HTMLInputElement).value;
const number = (event: Event) => (event.currentTarget as HTMLInputElement).valueAsNumber;

const SCHEDULE_UNITS = ['minutes', 'hours', 'days', 'weeks'] as const;

function ScheduleFields({
  action,
  scope,
  errors,
  onChange,
}: Props & { action: Extract<EventAction, { type: 'schedule_message' }> }) {
  const repeat = action.repeat;
  return (
    <>
      <label>
        Prompt for the bot
        <textarea
          rows={3}
          maxLength={4000}
          value={action.prompt}
          {...invalid(errors, scope, 'prompt')}
          onInput={(e) => onChange({ ...action, prompt: text(e) })}
        />
        <FieldError errors={errors} scope={scope} at="prompt" />
      </label>
      <div class="grid-3">
        <label>
          After
          <input
            type="number"
            min={1}
            max={1000}
            step={1}
            value={action.delay.amount}
            {...invalid(errors, scope, 'delay.amount')}
            onInput={(e) => onChange({ ...action, delay: { ...action.delay, amount: number(e) } })}
          />
          <FieldError errors={errors} scope={scope} at="delay.amount" />
        </label>
        <label>
          Unit
          <select
            value={action.delay.unit}
            onChange={(e) =>
              onChange({ ...action, delay: { ...action.delay, unit: text(e) as (typeof SCHEDULE_UNITS)[number] } })
            }
          >
            {SCHEDULE_UNITS.map((unit) => (
              <option key={unit} value={unit}>
                {unit}
              </option>
            ))}
          </select>
        </label>
        <label class="checkbox">
          <input
            type="checkbox"
            checked={repeat !== undefined}
            onChange={(e) => {
              const { repeat: _repeat, ...once } = action;
              onChange(
                (e.currentTarget as HTMLInputElement).checked ? { ...once, repeat: { every: 1, unit: 'days' } } : once,
              );
            }}
          />
          Repeat
        </label>
      </div>
      {repeat && (
        <div class="grid-3">
          <label>
            Every
            <input
              type="number"
              min={1}
              max={1000}
              step={1}
              value={repeat.every}
              {...invalid(errors, scope, 'repeat.every')}
              onInput={(e) => onChange({ ...action, repeat: { ...repeat, every: number(e) } })}
            />
            <FieldError errors={errors} scope={scope} at="repeat.every" />
          </label>
          <label>
            Repeat unit
            <select
              value={repeat.unit}
              onChange={(e) => onChange({ ...action, repeat: { ...repeat, unit: text(e) as typeof repeat.unit } })}
            >
              {[...SCHEDULE_UNITS, 'months' as const].map((unit) => (
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
              step={1}
              value={repeat.times ?? ''}
              {...invalid(errors, scope, 'repeat.times')}
              onInput={(e) => onChange({ ...action, repeat: { ...repeat, times: number(e) } })}
            />
            <FieldError errors={errors} scope={scope} at="repeat.times" />
          </label>
        </div>
      )}
    </>
  );
}

function TypeFields(props: Props) {
  const { action, scope, errors, onChange } = props;
  switch (action.type) {
    case 'bot_message':
      return (
        <label>
          Instruction for the bot (the participant sees only its reply)
          <textarea
            rows={3}
            maxLength={32_000}
            value={action.prompt}
            {...invalid(errors, scope, 'prompt')}
            onInput={(e) => onChange({ ...action, prompt: text(e) })}
          />
          <FieldError errors={errors} scope={scope} at="prompt" />
        </label>
      );
    case 'send_message':
      return (
        <label>
          Message text (sent as it is)
          <textarea
            rows={3}
            maxLength={4000}
            value={action.text}
            {...invalid(errors, scope, 'text')}
            onInput={(e) => onChange({ ...action, text: text(e) })}
          />
          <FieldError errors={errors} scope={scope} at="text" />
        </label>
      );
    case 'end_conversation':
      return (
        <p class="muted small">
          Ends the conversation; a "Conversation ended" trigger then fires with "by an event action".
        </p>
      );
    case 'tag':
      return (
        <label>
          Tag
          <input
            maxLength={50}
            value={action.name}
            {...invalid(errors, scope, 'name')}
            onInput={(e) => onChange({ ...action, name: text(e) })}
          />
          <FieldError errors={errors} scope={scope} at="name" />
        </label>
      );
    case 'log':
      return (
        <label>
          Log message (optional)
          <input
            maxLength={500}
            value={action.message ?? ''}
            {...invalid(errors, scope, 'message')}
            onInput={(e) => onChange({ ...action, message: text(e) })}
          />
          <FieldError errors={errors} scope={scope} at="message" />
        </label>
      );
    case 'webhook':
      return (
        <div class="grid-2">
          <label>
            Webhook URL
            <input
              type="url"
              maxLength={2048}
              placeholder="https://example.com/hook"
              value={action.url}
              {...invalid(errors, scope, 'url')}
              onInput={(e) => onChange({ ...action, url: text(e) })}
            />
            <FieldError errors={errors} scope={scope} at="url" />
          </label>
          <label>
            Signing secret from
            <select
              value={action.secretCredentialId ?? ''}
              {...invalid(errors, scope, 'secretCredentialId')}
              onChange={(e) => onChange({ ...action, secretCredentialId: text(e) })}
            >
              <option value="">The team's events secret</option>
              {props.configs.map((config) => (
                <option key={config.id} value={config.id}>
                  {config.name} ({config.pluginId})
                </option>
              ))}
            </select>
            <FieldError errors={errors} scope={scope} at="secretCredentialId" />
          </label>
        </div>
      );
    case 'start_pipeline':
      return (
        <div class="grid-2">
          <label>
            Chatbot to start
            <select
              value={action.chatbotId}
              {...invalid(errors, scope, 'chatbotId')}
              onChange={(e) => onChange({ ...action, chatbotId: text(e) })}
            >
              <option value="">Choose…</option>
              {props.chatbots.map((bot) => (
                <option key={bot.id} value={bot.id}>
                  {bot.name}
                </option>
              ))}
            </select>
            <FieldError errors={errors} scope={scope} at="chatbotId" />
          </label>
          <label>
            History it sees
            <select
              value={action.history}
              onChange={(e) => onChange({ ...action, history: text(e) === 'conversation' ? 'conversation' : 'none' })}
            >
              <option value="none">None</option>
              <option value="conversation">This conversation</option>
            </select>
          </label>
        </div>
      );
    case 'schedule_message':
      return <ScheduleFields {...props} action={action} />;
  }
}

export function ActionFields(props: Props) {
  const { action, label, scope, errors, onChange, onRemove } = props;
  return (
    <fieldset class="event-action">
      <legend>{label}</legend>
      <div class="row">
        <label class="grow">
          Type
          <select value={action.type} onChange={(e) => onChange(newAction(text(e) as EventAction['type']))}>
            {ACTION_TYPES.map(([type, name]) => (
              <option key={type} value={type}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {onRemove && (
          <button type="button" class="button subtle" onClick={onRemove} aria-label={`Remove ${label.toLowerCase()}`}>
            Remove
          </button>
        )}
      </div>
      <TypeFields {...props} />
      <FieldError errors={errors} scope={scope} at="" />
    </fieldset>
  );
}
