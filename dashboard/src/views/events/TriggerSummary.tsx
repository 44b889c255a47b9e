/** One trigger as the Events tab lists it: what fires it, under which conditions, what it does; and its buttons. */

import type { Errors } from '../../components/field-error';
import type { ChatbotSummary } from '../../lib/types';
import { actionTypeLabel, ENDED_BY, triggerTypeLabel } from './labels';
import { type EventAction, type EventTrigger, scalarText, splitSeconds } from './trigger-form';

function when(trigger: EventTrigger): string {
  if (trigger.on === 'inactivity') {
    const { amount, unit } = splitSeconds(trigger.delaySeconds);
    const from = trigger.from === 'last_message' ? 'last' : 'first';
    const times = trigger.times === 1 ? 'once' : `up to ${trigger.times} times`;
    return `${amount} ${unit} after the participant's ${from} message, ${times}`;
  }
  if (trigger.on === 'conversation_ended' && trigger.by) {
    const names = new Map(ENDED_BY);
    return `${triggerTypeLabel(trigger.on)} by ${trigger.by.map((who) => names.get(who) ?? who).join(' or ')}`;
  }
  return triggerTypeLabel(trigger.on);
}

function conditions(trigger: EventTrigger): string[] {
  const c = trigger.conditions;
  if (!c) return [];
  return [
    ...(c.channels ? [`on ${c.channels.join(' or ')}`] : []),
    ...(c.hasTag ? [`tagged ${c.hasTag}`] : []),
    ...(c.sessionState ? [`session ${c.sessionState.key} = ${scalarText(c.sessionState.equals)}`] : []),
    ...(c.participantData ? [`participant ${c.participantData.key} = ${scalarText(c.participantData.equals)}`] : []),
  ];
}

function actionText(action: EventAction, names: ReadonlyMap<string, string>): string {
  switch (action.type) {
    case 'bot_message':
      return action.prompt;
    case 'send_message':
      return action.text;
    case 'schedule_message': {
      const repeat = action.repeat ? `, then every ${action.repeat.every} ${action.repeat.unit}` : '';
      return `in ${action.delay.amount} ${action.delay.unit}${repeat}: ${action.prompt}`;
    }
    case 'tag':
      return action.name;
    case 'log':
      return action.message ?? '';
    case 'webhook':
      return action.url;
    case 'start_pipeline':
      return names.get(action.chatbotId) ?? action.chatbotId;
    case 'end_conversation':
      return '';
  }
}

interface Props {
  trigger: EventTrigger;
  position: number;
  count: number;
  problems: Errors;
  chatbots: readonly ChatbotSummary[];
  editable: boolean;
  onEdit: () => void;
  onMove: (delta: number) => void;
  onDelete: () => void;
}

export function TriggerSummary({
  trigger,
  position,
  count,
  problems,
  chatbots,
  editable,
  onEdit,
  onMove,
  onDelete,
}: Props) {
  const names = new Map(chatbots.map((bot) => [bot.id, bot.name]));
  const only = conditions(trigger);
  return (
    <article class="card event-trigger" aria-label={`Trigger ${trigger.id}`}>
      <div class="row">
        <h3 class="grow">
          <code>{trigger.id}</code> <span class="badge">{triggerTypeLabel(trigger.on)}</span>
        </h3>
        {editable && (
          <>
            <button type="button" class="button subtle" onClick={onEdit} aria-label={`Edit trigger ${trigger.id}`}>
              Edit
            </button>
            <button
              type="button"
              class="button subtle"
              disabled={position === 1}
              onClick={() => onMove(-1)}
              aria-label={`Move trigger ${trigger.id} up`}
            >
              ↑
            </button>
            <button
              type="button"
              class="button subtle"
              disabled={position === count}
              onClick={() => onMove(1)}
              aria-label={`Move trigger ${trigger.id} down`}
            >
              ↓
            </button>
            <button type="button" class="button subtle" onClick={onDelete} aria-label={`Delete trigger ${trigger.id}`}>
              Delete
            </button>
          </>
        )}
      </div>
      <p>
        {when(trigger)}
        {only.length > 0 && <span class="muted"> · only {only.join(', ')}</span>}
      </p>
      <ol class="event-actions">
        {trigger.actions.map((action, index) => (
          // Actions have no id; their order is their identity.
          <li key={index}>
            <strong>{actionTypeLabel(action.type)}</strong>
            {actionText(action, names) && <span class="muted"> — {actionText(action, names)}</span>}
          </li>
        ))}
      </ol>
      {problems.size > 0 && (
        <ul class="problems field-error">
          {[...problems].map(([field, message]) => (
            <li key={field}>
              {field ? `${field}: ` : ''}
              {message}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
