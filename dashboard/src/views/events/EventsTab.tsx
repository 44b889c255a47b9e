/**
 * A chatbot's Events tab: the draft's triggers in firing order, each editable in place, with add, delete and
 * reorder. Every change writes the draft at once (events-draft.ts); publishing it under Versions makes it live.
 */
import { useState } from 'preact/hooks';
import { ErrorBanner, Loading, Notice } from '../../components/feedback';
import { getAll } from '../../lib/get-all';
import type { ApiError } from '../../lib/http';
import { toApiError, useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import { can } from '../../lib/session';
import type { Chatbot, ChatbotSummary } from '../../lib/types';
import type { PluginConfigChoice } from './ActionFields';
import { type EventsDraft, loadEvents, saveEvents } from './events-draft';
import { TriggerForm } from './TriggerForm';
import { TriggerSummary } from './TriggerSummary';
import {
  type EventTrigger,
  errorsUnder,
  eventFieldErrors,
  MAX_TRIGGERS,
  moveItem,
  newTrigger,
  removeItem,
  replaceItem,
} from './trigger-form';

/** Which trigger is open in the form: its index, or `new` for one being added at the end. */
type Editing = number | 'new' | null;

export function EventsTab({ bot }: { bot: Chatbot }) {
  const [state, reload, replace] = useResource((signal) => loadEvents(bot.id, signal), [bot.id]);
  const [choices] = useResource(
    (signal) =>
      Promise.all([
        getAll<ChatbotSummary>('/api/v1/chatbots', { signal }),
        getAll<PluginConfigChoice>('/api/v1/plugin-configs', { signal }),
      ]),
    [],
  );
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editable = can('edit');

  if (state.status === 'loading') return <Loading what="triggers" />;
  if (state.status === 'error')
    return <ErrorBanner title="Couldn't load the triggers" error={state.error} onRetry={reload} />;
  const draft: EventsDraft = state.value;
  const triggers = draft.triggers;
  const [chatbots, configs] = choices.status === 'ready' ? choices.value : [[], []];
  // A 400 names the fields of what was sent; a pipeline draft's stored issues name the fields of what is saved.
  const errors = eventFieldErrors(error?.details ?? draft.issues);

  async function save(next: EventTrigger[], done: string, after: Editing = null) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const saved = await saveEvents(bot.id, next);
      replace(saved);
      setEditing(after);
      const problems = eventFieldErrors(saved.issues).size;
      setNotice(
        problems > 0
          ? `${done} The draft has ${problems} problem${problems === 1 ? '' : 's'} with its triggers (shown below); publishing refuses it until they are fixed.`
          : `${done} Publish the draft under Versions to make it live.`,
      );
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  const formFor = (initial: EventTrigger, index: number) => (
    <TriggerForm
      initial={initial}
      scope={`triggers-${index}`}
      errors={errorsUnder(errors, `triggers.${index}`)}
      chatbots={chatbots.filter((other) => other.id !== bot.id)}
      configs={configs}
      busy={busy}
      onSubmit={(trigger) =>
        void save(
          index < triggers.length ? replaceItem(triggers, index, trigger) : [...triggers, trigger],
          `Trigger ${trigger.id} saved.`,
        )
      }
      onCancel={() => {
        setEditing(null);
        setError(null);
      }}
    />
  );

  return (
    <section aria-label="Events">
      <div class="card">
        <p class="muted">
          Triggers run actions when something happens in a conversation of this chatbot: it starts or ends, a message
          arrives, or the participant goes quiet. They are part of the draft: publish it under{' '}
          <a href={href('chatbots', bot.id, 'versions')}>Versions</a> to make them live. What they did is in the{' '}
          <a href={`${href('events')}?chatbotId=${encodeURIComponent(bot.id)}`}>event log</a>.
        </p>
        {error && <ErrorBanner title="Couldn't save the triggers" error={error} />}
        {notice && <Notice>{notice}</Notice>}
        {triggers.length === 0 && editing !== 'new' && <p class="muted">No triggers yet.</p>}
      </div>
      <ol class="event-triggers">
        {triggers.map((trigger, index) => (
          <li key={trigger.id + index}>
            {editing === index ? (
              formFor(trigger, index)
            ) : (
              <TriggerSummary
                trigger={trigger}
                position={index + 1}
                count={triggers.length}
                problems={errorsUnder(errors, `triggers.${index}`)}
                chatbots={chatbots}
                editable={editable && editing === null && !busy}
                onEdit={() => {
                  setError(null);
                  setNotice(null);
                  setEditing(index);
                }}
                onMove={(delta) => void save(moveItem(triggers, index, delta), `Trigger ${trigger.id} moved.`)}
                onDelete={() => {
                  if (window.confirm(`Delete the trigger ${trigger.id}?`))
                    void save(removeItem(triggers, index), `Trigger ${trigger.id} deleted.`);
                }}
              />
            )}
          </li>
        ))}
        {editing === 'new' && (
          <li key="new">
            {formFor(
              newTrigger(
                'conversation_started',
                triggers.map((t) => t.id),
              ),
              triggers.length,
            )}
          </li>
        )}
      </ol>
      {editable && editing === null && triggers.length < MAX_TRIGGERS && (
        <button
          type="button"
          class="button primary"
          onClick={() => {
            setError(null);
            setNotice(null);
            setEditing('new');
          }}
        >
          Add trigger
        </button>
      )}
    </section>
  );
}
