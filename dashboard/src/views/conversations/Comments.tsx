import { ErrorBanner, Loading } from '../../components/feedback';
import { formatDateTime } from '../../lib/format';
import { del } from '../../lib/http';
import type { Resource } from '../../lib/resource';
import { can, me } from '../../lib/session';
import { useAction } from '../../lib/use-action';
import { CommentForm } from './CommentForm';
import { type Comment, commentsPath } from './comment-api';

/** The transcript gives each message an element id, so a note about a message can bring it into view. */
export const messageElementId = (messageId: string) => `message-${messageId}`;

/** One note: its author, when, and Delete for its author or an admin (the server checks the same rule). */
export function CommentItem({
  comment,
  conversationId,
  about,
  onChanged,
}: {
  comment: Comment;
  conversationId: string;
  /** The message it is about, as the transcript numbers it; links there. */
  about?: { messageId: string; position: number };
  onChanged: () => void;
}) {
  const { error, run } = useAction();
  const mayDelete = comment.author.id === me.value?.user.id || can('manage');
  return (
    <li>
      <div class="muted small">
        {comment.author.label} · {formatDateTime(comment.createdAt)}
        {about && (
          <>
            {' · '}
            <button
              type="button"
              class="link"
              // Focus, not only scroll: a keyboard or screen-reader user goes on from the message (WCAG 2.4.3).
              onClick={() => document.getElementById(messageElementId(about.messageId))?.focus()}
            >
              on message {about.position}
            </button>
          </>
        )}
        {mayDelete && (
          <button
            type="button"
            class="link"
            onClick={() =>
              void run(() => del(`${commentsPath(conversationId)}/${comment.id}`)).then((ok) => ok && onChanged())
            }
          >
            Delete
          </button>
        )}
      </div>
      <p>{comment.body}</p>
      {error && <ErrorBanner title="Couldn't delete the comment" error={error} />}
    </li>
  );
}

/**
 * Every note on the conversation, oldest first: notes on the whole conversation, and notes on a message (also shown
 * under that message) with a link to it. Never shown to the end user.
 */
export function Comments({
  conversationId,
  comments,
  positions,
  onChanged,
}: {
  conversationId: string;
  comments: Resource<Comment[]>;
  positions: Map<string, number>;
  onChanged: () => void;
}) {
  return (
    <section class="card" aria-label="Comments">
      <h2>Comments</h2>
      {comments.status === 'loading' && <Loading what="comments" />}
      {comments.status === 'error' && (
        <ErrorBanner title="Couldn't load comments" error={comments.error} onRetry={onChanged} />
      )}
      {comments.status === 'ready' && comments.value.length === 0 && (
        <p class="muted">No comments yet. Comment on the conversation here, or on one message from the transcript.</p>
      )}
      {comments.status === 'ready' && (
        <ul class="comments">
          {comments.value.map((comment) => (
            <CommentItem
              key={comment.id}
              comment={comment}
              conversationId={conversationId}
              about={
                comment.messageId
                  ? { messageId: comment.messageId, position: positions.get(comment.messageId) ?? 0 }
                  : undefined
              }
              onChanged={onChanged}
            />
          ))}
        </ul>
      )}
      {can('chat') && <CommentForm path={commentsPath(conversationId)} onSaved={onChanged} />}
    </section>
  );
}
