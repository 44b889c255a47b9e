import { useState } from 'preact/hooks';
import type { ChatbotParticipantData, ParticipantDataList } from '../../../../worker/participant-data/schemas.ts';
import { ErrorBanner, Loading } from '../../components/feedback';
import { formatRelative } from '../../lib/format';
import { del, get, request } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import { can } from '../../lib/session';
import { useAction } from '../../lib/use-action';
import { parseDataJson } from './data-json';

/** One chatbot's data: read as JSON, edited as JSON text (validated before it is sent), or reset. */
function ChatbotData({
  participantId,
  entry,
  onChanged,
}: {
  participantId: string;
  entry: ChatbotParticipantData;
  onChanged: () => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const action = useAction();
  const path = `/api/v1/participants/${participantId}/data/${entry.chatbotId}`;
  const [bot] = useResource(
    (signal) => get<{ name: string }>(`/api/v1/chatbots/${entry.chatbotId}`, { signal }),
    [entry.chatbotId],
  );
  const name = bot.status === 'ready' ? bot.value.name : entry.chatbotId;

  async function save(event: Event) {
    event.preventDefault();
    const parsed = parseDataJson(draft ?? '');
    if (!parsed.ok) return setInvalid(parsed.message);
    setInvalid(null);
    if (await action.run(() => request('PUT', path, parsed.value), 'Saved')) {
      setDraft(null);
      onChanged();
    }
  }

  async function reset() {
    if (!window.confirm(`Reset what ${name} knows about this participant? This cannot be undone.`)) return;
    if (await action.run(() => del(path), 'Reset')) onChanged();
  }

  return (
    <article class="participant-data" aria-label={`Data of ${name}`}>
      <div class="row">
        <h3 class="grow">
          <a href={href('chatbots', entry.chatbotId)}>{name}</a>
        </h3>
        {entry.updatedAt && <span class="muted small">changed {formatRelative(entry.updatedAt)}</span>}
        {can('chat') && draft === null && (
          <>
            <button type="button" class="button subtle" onClick={() => setDraft(JSON.stringify(entry.data, null, 2))}>
              Edit
            </button>
            <button type="button" class="button subtle" disabled={action.busy} onClick={reset}>
              Reset
            </button>
          </>
        )}
      </div>
      {draft === null ? (
        <pre class="json">{JSON.stringify(entry.data, null, 2)}</pre>
      ) : (
        <form onSubmit={save}>
          <label class="field">
            <span>Data (a JSON object)</span>
            <textarea
              class="json-editor"
              rows={Math.min(20, Math.max(4, draft.split('\n').length + 1))}
              value={draft}
              aria-invalid={invalid !== null}
              aria-describedby={invalid ? `invalid-${entry.chatbotId}` : undefined}
              onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
            />
          </label>
          {invalid && (
            <p class="field-error" id={`invalid-${entry.chatbotId}`} role="alert">
              {invalid}
            </p>
          )}
          <div class="row">
            <button type="submit" class="button primary" disabled={action.busy}>
              Save
            </button>
            <button
              type="button"
              class="button subtle"
              onClick={() => {
                setDraft(null);
                setInvalid(null);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
      {action.error && <ErrorBanner title="Couldn't change the data" error={action.error} />}
      {action.notice && (
        <p class="muted small" role="status">
          {action.notice}
        </p>
      )}
    </article>
  );
}

/**
 * What each chatbot stores about this participant (pipeline nodes read and write it), read from the participant's
 * own object. Not the team-wide profile above, which integrations send.
 */
export function ParticipantData({ participantId }: { participantId: string }) {
  const [state, reload] = useResource(
    (signal) => get<ParticipantDataList>(`/api/v1/participants/${participantId}/data`, { signal }),
    [participantId],
  );
  return (
    <section class="card" aria-label="Chatbot data">
      <h2>Chatbot data</h2>
      <p class="muted small">What each chatbot's pipeline remembers about this person, encrypted at rest.</p>
      {state.status === 'loading' && <Loading what="chatbot data" />}
      {state.status === 'error' && (
        <ErrorBanner title="Couldn't load the chatbot data" error={state.error} onRetry={reload} />
      )}
      {state.status === 'ready' && state.value.data.length === 0 && (
        <p class="muted">No chatbot has stored data about this participant.</p>
      )}
      {state.status === 'ready' &&
        state.value.data.map((entry) => (
          <ChatbotData key={entry.chatbotId} participantId={participantId} entry={entry} onChanged={reload} />
        ))}
    </section>
  );
}
