import { ErrorBanner, Loading } from '../../components/feedback';
import { formatDateTime } from '../../lib/format';
import { del, get, post } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { can, me } from '../../lib/session';
import type { Page } from '../../lib/types';
import { useAction } from '../../lib/use-action';

interface Comment {
  id: string;
  messageId: string | null;
  author: { type: 'user' | 'api_key'; id: string; label: string };
  body: string;
  createdAt: string;
}

/** Notes admins leave on a conversation (or one of its messages) for each other; never shown to the end user. */
export function Comments({ conversationId }: { conversationId: string }) {
  const path = `/api/v1/conversations/${conversationId}/comments`;
  const [state, reload] = useResource((signal) => get<Page<Comment>>(path, { signal }), [path]);
  const { error, run } = useAction();

  const act = (action: () => Promise<unknown>) => run(action).then((ok) => ok && reload());

  return (
    <section class="card" aria-label="Comments">
      <h2>Comments</h2>
      {state.status === 'loading' && <Loading what="comments" />}
      {state.status === 'error' && <ErrorBanner title="Couldn't load comments" error={state.error} onRetry={reload} />}
      {state.status === 'ready' && state.value.data.length === 0 && <p class="muted">No comments yet.</p>}
      {state.status === 'ready' && (
        <ul class="comments">
          {state.value.data.map((comment) => (
            <li key={comment.id}>
              <div class="muted small">
                {comment.author.label} · {formatDateTime(comment.createdAt)}
                {comment.author.id === me.value?.user.id && (
                  <button type="button" class="link" onClick={() => void act(() => del(`${path}/${comment.id}`))}>
                    Delete
                  </button>
                )}
              </div>
              <p>{comment.body}</p>
            </li>
          ))}
        </ul>
      )}
      {error && <ErrorBanner title="Couldn't save the comment" error={error} />}
      {can('chat') && (
        <form
          class="form"
          onSubmit={(event) => {
            event.preventDefault();
            const form = event.currentTarget as HTMLFormElement;
            const body = String(new FormData(form).get('body')).trim();
            if (body) void act(() => post(path, { body })).then(() => form.reset());
          }}
        >
          <textarea
            name="body"
            rows={2}
            maxLength={4000}
            placeholder="Leave a note for your team"
            aria-label="Comment"
          />
          <div>
            <button type="submit" class="button">
              Add comment
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
