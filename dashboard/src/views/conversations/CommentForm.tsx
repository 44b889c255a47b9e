import { useEffect, useRef } from 'preact/hooks';
import { ErrorBanner } from '../../components/feedback';
import { post } from '../../lib/http';
import { useAction } from '../../lib/use-action';

/** A note for the team, on the conversation or (with `messageId`) on one of its messages. */
export function CommentForm({
  path,
  messageId,
  onSaved,
  onCancel,
}: {
  path: string;
  messageId?: string;
  onSaved: () => void;
  onCancel?: () => void;
}) {
  const { error, busy, run } = useAction();
  // A message's form opens because the admin clicked "Comment": put the cursor in it.
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (messageId) field.current?.focus();
  }, [messageId]);
  return (
    <form
      class="form comment-form"
      onSubmit={(event) => {
        event.preventDefault();
        const form = event.currentTarget as HTMLFormElement;
        const body = String(new FormData(form).get('body')).trim();
        if (!body) return;
        void run(() => post(path, messageId ? { body, messageId } : { body })).then((ok) => {
          if (!ok) return;
          form.reset();
          onSaved();
        });
      }}
    >
      <textarea
        name="body"
        rows={2}
        maxLength={4000}
        placeholder={messageId ? 'A note about this message' : 'Leave a note for your team'}
        aria-label={messageId ? 'Comment on this message' : 'Comment'}
        ref={field}
      />
      {error && <ErrorBanner title="Couldn't save the comment" error={error} />}
      <div class="row">
        <button type="submit" class="button" disabled={busy}>
          {messageId ? 'Comment' : 'Add comment'}
        </button>
        {onCancel && (
          <button type="button" class="button subtle" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
