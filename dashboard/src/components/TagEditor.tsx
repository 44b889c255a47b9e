import { useEffect, useRef, useState } from 'preact/hooks';
import { get, type Page, request } from '../lib/http';
import { useResource } from '../lib/resource';
import { can } from '../lib/session';
import { useAction } from '../lib/use-action';
import { ErrorBanner } from './feedback';

/** The id of the page's <datalist> of the team's tags (TagSuggestions), so every tag input can suggest them. */
export const TAG_SUGGESTIONS_ID = 'team-tags';

/**
 * Tag chips with remove buttons and an input to add one, saved with PUT `path` (a conversation's or a message's
 * tags). `collapsed` shows an "Add tag" link until asked, so a transcript of many messages stays quiet.
 */
export function TagEditor({
  tags,
  path,
  label,
  collapsed = false,
  onSaved,
}: {
  tags: string[];
  path: string;
  label: string;
  collapsed?: boolean;
  onSaved: (tags: string[]) => void;
}) {
  const { error, run } = useAction();
  const [open, setOpen] = useState(!collapsed);
  const input = useRef<HTMLInputElement>(null);
  // Opened by "Add tag": the admin asked to type, so the input takes focus (never on page load).
  const [asked, setAsked] = useState(false);
  useEffect(() => {
    if (asked && open) input.current?.focus();
  }, [asked, open]);
  // Closing the collapsed input (a tag added, or Escape) would drop focus on <body>: it goes back to "Add tag".
  const addTag = useRef<HTMLButtonElement>(null);
  const [refocus, setRefocus] = useState(false);
  useEffect(() => {
    if (refocus && !open) {
      addTag.current?.focus();
      setRefocus(false);
    }
  }, [refocus, open]);
  const close = () => {
    setOpen(false);
    setAsked(false);
    setRefocus(true);
  };
  const save = (next: string[]) =>
    run(async () => onSaved((await request<{ tags: string[] }>('PUT', path, { tags: next })).tags));
  const editable = can('chat');
  return (
    <fieldset class="tags" aria-label={label}>
      {tags.map((tag) => (
        <span class="chip" key={tag}>
          {tag}
          {editable && (
            <button
              type="button"
              aria-label={`Remove tag ${tag}`}
              onClick={() => void save(tags.filter((t) => t !== tag))}
            >
              ×
            </button>
          )}
        </span>
      ))}
      {editable && !open && (
        <button
          type="button"
          class="link"
          ref={addTag}
          onClick={() => {
            setOpen(true);
            setAsked(true);
          }}
        >
          Add tag
        </button>
      )}
      {editable && open && (
        <form
          class="inline"
          onSubmit={(event) => {
            event.preventDefault();
            const input = (event.currentTarget as HTMLFormElement).elements.namedItem('tag') as HTMLInputElement;
            const tag = input.value.trim();
            if (tag)
              void save([...tags, tag]).then((ok) => {
                if (!ok) return;
                input.value = '';
                if (collapsed) close();
              });
          }}
        >
          <input
            name="tag"
            placeholder="Add a tag"
            aria-label={`New tag for ${label.toLowerCase()}`}
            list={TAG_SUGGESTIONS_ID}
            ref={input}
            onKeyDown={(event) => {
              if (event.key === 'Escape' && collapsed) close();
            }}
          />
        </form>
      )}
      {error && <ErrorBanner title="Couldn't save the tags" error={error} />}
    </fieldset>
  );
}

/**
 * The team's tags in use (GET /api/v1/tags), offered by every tag input on the page so reviewers reuse `hallucination`
 * instead of inventing `halucination`. The first 100 (the API's page maximum) are enough to suggest from.
 */
export function TagSuggestions({ version }: { version: number }) {
  const [state] = useResource((signal) => get<Page<{ tag: string }>>('/api/v1/tags?limit=100', { signal }), [version]);
  return (
    <datalist id={TAG_SUGGESTIONS_ID}>
      {state.status === 'ready' && state.value.data.map((use) => <option key={use.tag} value={use.tag} />)}
    </datalist>
  );
}
