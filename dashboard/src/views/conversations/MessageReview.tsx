import { useState } from 'preact/hooks';
import { TagEditor } from '../../components/TagEditor';
import { can } from '../../lib/session';
import type { Message } from '../../lib/types';
import { CommentForm } from './CommentForm';
import { CommentItem } from './Comments';
import { type Comment, commentsPath } from './comment-api';

/** Under one message of a transcript: its tags, the team's notes about it, and a way to add either. */
export function MessageReview({
  conversationId,
  message,
  comments,
  onTagsSaved,
  onCommentsChanged,
}: {
  conversationId: string;
  message: Message;
  comments: Comment[];
  onTagsSaved: (tags: string[]) => void;
  onCommentsChanged: () => void;
}) {
  const [commenting, setCommenting] = useState(false);
  return (
    <div class="message-review">
      <div class="row">
        <TagEditor
          tags={message.tags ?? []}
          path={`/api/v1/conversations/${conversationId}/messages/${message.id}/tags`}
          label={`Tags of message ${message.position}`}
          collapsed
          onSaved={onTagsSaved}
        />
        {can('chat') && !commenting && (
          <button type="button" class="link" onClick={() => setCommenting(true)}>
            Comment
          </button>
        )}
      </div>
      {comments.length > 0 && (
        <ul class="comments message-comments" aria-label={`Comments on message ${message.position}`}>
          {comments.map((comment) => (
            <CommentItem
              key={comment.id}
              comment={comment}
              conversationId={conversationId}
              onChanged={onCommentsChanged}
            />
          ))}
        </ul>
      )}
      {commenting && (
        <CommentForm
          path={commentsPath(conversationId)}
          messageId={message.id}
          onSaved={() => {
            setCommenting(false);
            onCommentsChanged();
          }}
          onCancel={() => setCommenting(false)}
        />
      )}
    </div>
  );
}
