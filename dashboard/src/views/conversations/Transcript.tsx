import { useState } from 'preact/hooks';
import { ErrorBanner, Loading, PageHeader } from '../../components/feedback';
import { MessageBubble } from '../../components/MessageBubble';
import { formatDateTime, formatNumber } from '../../lib/format';
import { type ApiError, get, post, request } from '../../lib/http';
import { toApiError, useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import { can } from '../../lib/session';
import type { Conversation, Message, Page } from '../../lib/types';
import { Comments } from './Comments';

function TagEditor({ conversation, onSaved }: { conversation: Conversation; onSaved: (tags: string[]) => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const tags = conversation.tags ?? [];
  async function save(next: string[]) {
    setError(null);
    try {
      const result = await request<{ tags: string[] }>('PUT', `/api/v1/conversations/${conversation.id}/tags`, {
        tags: next,
      });
      onSaved(result.tags);
    } catch (caught) {
      setError(toApiError(caught));
    }
  }
  return (
    <div class="tags">
      {tags.map((tag) => (
        <span class="chip" key={tag}>
          {tag}
          {can('chat') && (
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
      {can('chat') && (
        <form
          class="inline"
          onSubmit={(event) => {
            event.preventDefault();
            const input = (event.currentTarget as HTMLFormElement).elements.namedItem('tag') as HTMLInputElement;
            const tag = input.value.trim();
            if (tag) void save([...tags, tag]).then(() => (input.value = ''));
          }}
        >
          <input name="tag" placeholder="Add a tag" aria-label="New tag" maxLength={64} />
        </form>
      )}
      {error && <ErrorBanner title="Couldn't save the tags" error={error} />}
    </div>
  );
}

export function Transcript({ id }: { id: string }) {
  const [state, reload, replace] = useResource(
    (signal) =>
      Promise.all([
        get<Conversation>(`/api/v1/conversations/${id}`, { signal }),
        get<Page<Message>>(`/api/v1/conversations/${id}/messages`, { signal }),
      ]),
    [id],
  );
  if (state.status === 'loading') return <Loading what="conversation" />;
  if (state.status === 'error')
    return <ErrorBanner title="Couldn't load the conversation" error={state.error} onRetry={reload} />;
  const [conversation, messages] = state.value;
  const tokens = messages.data.reduce(
    (sum, m) => ({ input: sum.input + (m.usage?.inputTokens ?? 0), output: sum.output + (m.usage?.outputTokens ?? 0) }),
    { input: 0, output: 0 },
  );
  const errors = messages.data.filter((m) => m.error).length;
  return (
    <>
      <PageHeader title="Conversation">
        {conversation.status === 'active' && can('chat') && (
          <button
            type="button"
            class="button subtle"
            onClick={() => void post(`/api/v1/conversations/${id}/end`).then(reload)}
          >
            End conversation
          </button>
        )}
      </PageHeader>
      <section class="card">
        <dl class="facts">
          <div>
            <dt>Chatbot</dt>
            <dd>
              <a href={href('chatbots', conversation.chatbotId)}>{conversation.chatbotId}</a>
            </dd>
          </div>
          <div>
            <dt>Participant</dt>
            <dd>
              {conversation.participantId ? (
                <a href={href('participants', conversation.participantId)}>{conversation.participantId}</a>
              ) : (
                '—'
              )}
            </dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{formatDateTime(conversation.createdAt)}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>{conversation.status}</dd>
          </div>
          <div>
            <dt>Tokens</dt>
            <dd>
              {formatNumber(tokens.input)} in / {formatNumber(tokens.output)} out
            </dd>
          </div>
          <div>
            <dt>Errors</dt>
            <dd>{errors}</dd>
          </div>
        </dl>
        <TagEditor conversation={conversation} onSaved={(tags) => replace([{ ...conversation, tags }, messages])} />
      </section>
      <section class="card transcript" aria-label="Transcript">
        {messages.data.length === 0 && <p class="muted">No messages yet.</p>}
        {messages.data.map((message) => (
          <MessageBubble key={message.id} message={message} />
        ))}
      </section>
      <Comments conversationId={id} />
    </>
  );
}
