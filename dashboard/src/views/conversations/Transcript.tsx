import { useMemo, useState } from 'preact/hooks';
import { ErrorBanner, Loading, PageHeader } from '../../components/feedback';
import { MessageBubble } from '../../components/MessageBubble';
import { TagEditor, TagSuggestions } from '../../components/TagEditor';
import { formatDateTime, formatNumber } from '../../lib/format';
import { getAll } from '../../lib/get-all';
import { get, post } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import { can } from '../../lib/session';
import type { ChatbotSummary, Conversation, Message } from '../../lib/types';
import type { Participant } from '../participants/ParticipantList';
import { Comments, messageElementId } from './Comments';
import { type Comment, loadComments } from './comment-api';
import { MessageReview } from './MessageReview';
import { failedMessages, participantLabel } from './transcript-facts';
import { WhyThisReply } from './WhyThisReply';

/** The names behind a conversation's ids; an id stays shown while loading or if a lookup fails (deleted, no access). */
function useNames(conversation: Conversation) {
  const [names] = useResource(
    (signal) => {
      const quiet = <T,>(promise: Promise<T>) => promise.catch(() => null);
      return Promise.all([
        quiet(get<ChatbotSummary>(`/api/v1/chatbots/${conversation.chatbotId}`, { signal })),
        conversation.participantId
          ? quiet(get<Participant>(`/api/v1/participants/${conversation.participantId}`, { signal }))
          : null,
        conversation.channelId
          ? quiet(get<{ name: string; pluginId: string }>(`/api/v1/channels/${conversation.channelId}`, { signal }))
          : null,
      ]);
    },
    [conversation.id],
  );
  const [bot, participant, channel] = names.status === 'ready' ? names.value : [null, null, null];
  return { bot, participant, channel };
}

function Facts({ conversation, messages }: { conversation: Conversation; messages: Message[] }) {
  const { bot, participant, channel } = useNames(conversation);
  const tokens = messages.reduce(
    (sum, m) => ({ input: sum.input + (m.usage?.inputTokens ?? 0), output: sum.output + (m.usage?.outputTokens ?? 0) }),
    { input: 0, output: 0 },
  );
  return (
    <dl class="facts">
      <div>
        <dt>Chatbot</dt>
        <dd>
          <a href={href('chatbots', conversation.chatbotId)}>{bot?.name ?? conversation.chatbotId}</a>
        </dd>
      </div>
      <div>
        <dt>Participant</dt>
        <dd>
          {conversation.participantId ? (
            <a href={href('participants', conversation.participantId)}>
              {participant ? participantLabel(participant) : conversation.participantId}
            </a>
          ) : (
            '—'
          )}
        </dd>
      </div>
      <div>
        <dt>Channel</dt>
        <dd>
          {conversation.channelId
            ? channel
              ? `${channel.name} (${channel.pluginId})`
              : conversation.channelId
            : 'API / widget'}
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
        <dd>{failedMessages(messages)}</dd>
      </div>
    </dl>
  );
}

/** One conversation for review: facts, its tags, every message with its own tags and notes, and the team's notes. */
export function Transcript({ id }: { id: string }) {
  const [state, reload, replace] = useResource(
    (signal) =>
      Promise.all([
        get<Conversation>(`/api/v1/conversations/${id}`, { signal }),
        // Transcript pages go up to 200 messages (worker/conversations/messages.ts).
        getAll<Message>(`/api/v1/conversations/${id}/messages`, { signal, pageSize: 200 }),
      ]),
    [id],
  );
  const [comments, reloadComments] = useResource((signal) => loadComments(id, signal), [id]);
  // A saved tag may be new to the team: refresh the suggestions after every save.
  const [tagsSaved, setTagsSaved] = useState(0);
  const byMessage = useMemo(() => {
    const grouped = new Map<string, Comment[]>();
    if (comments.status !== 'ready') return grouped;
    for (const comment of comments.value)
      if (comment.messageId) grouped.set(comment.messageId, [...(grouped.get(comment.messageId) ?? []), comment]);
    return grouped;
  }, [comments]);
  if (state.status === 'loading') return <Loading what="conversation" />;
  if (state.status === 'error')
    return <ErrorBanner title="Couldn't load the conversation" error={state.error} onRetry={reload} />;
  const [conversation, messages] = state.value;
  const positions = new Map(messages.map((m) => [m.id, m.position]));
  const saveMessageTags = (messageId: string, tags: string[]) => {
    replace([conversation, messages.map((m) => (m.id === messageId ? { ...m, tags } : m))]);
    setTagsSaved((n) => n + 1);
  };
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
      <TagSuggestions version={tagsSaved} />
      <section class="card">
        <Facts conversation={conversation} messages={messages} />
        <TagEditor
          tags={conversation.tags ?? []}
          path={`/api/v1/conversations/${id}/tags`}
          label="Conversation tags"
          onSaved={(tags) => {
            replace([{ ...conversation, tags }, messages]);
            setTagsSaved((n) => n + 1);
          }}
        />
      </section>
      <section class="card transcript" aria-label="Transcript">
        {messages.length === 0 && <p class="muted">No messages yet.</p>}
        {messages.map((message) => (
          <div class={`message ${message.role}`} id={messageElementId(message.id)} key={message.id} tabIndex={-1}>
            <MessageBubble message={message} conversationId={id} />
            {message.role === 'assistant' && <WhyThisReply conversationId={id} messageId={message.id} />}
            <MessageReview
              conversationId={id}
              message={message}
              comments={byMessage.get(message.id) ?? []}
              onTagsSaved={(tags) => saveMessageTags(message.id, tags)}
              onCommentsChanged={reloadComments}
            />
          </div>
        ))}
      </section>
      <Comments conversationId={id} comments={comments} positions={positions} onChanged={reloadComments} />
    </>
  );
}
