import { formatDateTime, formatNumber } from '../lib/format';
import type { Message } from '../lib/types';
import { Attachments } from './Attachments';
import { ToolCalls } from './ToolCalls';

/**
 * One message of a transcript, with what admins need: files, status, errors, tool calls, tokens, model, rating,
 * delivery. The files need the conversation (their download route is under it); without one they are not shown.
 */
export function MessageBubble({
  message,
  conversationId,
  children,
}: {
  message: Message;
  conversationId?: string;
  children?: preact.ComponentChildren;
}) {
  const rating = message.metadata.feedback as { rating?: string } | undefined;
  const delivery = message.metadata.delivery as { status?: string; error?: { message?: string } } | undefined;
  return (
    <article class={`bubble ${message.role} ${message.status}`} aria-label={`${message.role} message`}>
      <div class="bubble-text">{message.content || (message.status === 'streaming' ? '…' : '')}</div>
      {conversationId && <Attachments conversationId={conversationId} metadata={message.metadata} />}
      {message.error && (
        <div class="bubble-error" role="note">
          {message.error.code}: {message.error.message}
        </div>
      )}
      {message.role === 'assistant' && <ToolCalls metadata={message.metadata} />}
      <footer class="bubble-meta muted small">
        <span>{formatDateTime(message.createdAt)}</span>
        {message.model && <span>{message.model}</span>}
        {message.usage && (
          <span>
            {formatNumber(message.usage.inputTokens)} in / {formatNumber(message.usage.outputTokens)} out tokens
          </span>
        )}
        {message.status !== 'complete' && <span class="badge">{message.status}</span>}
        {rating?.rating && <span>{rating.rating === 'up' ? '👍' : '👎'}</span>}
        {delivery?.status && (
          <span class={delivery.status === 'failed' ? 'badge error' : ''}>
            delivery: {delivery.status}
            {delivery.error?.message && ` — ${delivery.error.message}`}
          </span>
        )}
        {children}
      </footer>
    </article>
  );
}
