import type { Chatbot } from '../api';
import { chatbots, loadMoreChatbots, retryChatbots } from '../state';
import { ErrorBanner } from './ErrorBanner';
import { OfflineBadge } from './OfflineBadge';
import { Loading, SectionHeader } from './Section';

function ChatbotRow({ bot }: { bot: Chatbot }) {
  return (
    <li class="item">
      <div class="item-main">
        <div class="item-title">
          <span class="name">{bot.name}</span>
          <code class="slug">{bot.slug}</code>
          {bot.provider.offline && <OfflineBadge />}
        </div>
        {bot.description && <p class="description">{bot.description}</p>}
      </div>
      <dl class="facts">
        <div>
          <dt>Provider</dt>
          <dd>{bot.provider.displayName}</dd>
        </div>
        <div>
          <dt>Model</dt>
          <dd>
            <code>{bot.model}</code>
          </dd>
        </div>
        <div>
          <dt>Published</dt>
          <dd>{bot.publishedVersion === null ? <span class="muted">Not yet</span> : `v${bot.publishedVersion}`}</dd>
        </div>
      </dl>
    </li>
  );
}

function EmptyChatbots() {
  return (
    <div class="empty">
      <p>
        <strong>No chatbots yet.</strong>
      </p>
      <p class="muted">
        Create one with <code>POST /api/v1/chatbots</code> using this API key, then reload this page. Creating chatbots
        from the dashboard comes in a later release.
      </p>
    </div>
  );
}

export function ChatbotList() {
  const state = chatbots.value;
  const count = state.status === 'ready' ? state.value.items.length : null;
  return (
    <section class="card" aria-labelledby="chatbots-title">
      <SectionHeader id="chatbots-title" title="Chatbots" count={count} />
      {state.status === 'loading' && <Loading what="chatbots" />}
      {state.status === 'error' && (
        <ErrorBanner title="Couldn't load chatbots" error={state.error} onRetry={retryChatbots} />
      )}
      {state.status === 'ready' &&
        (state.value.items.length === 0 ? (
          <EmptyChatbots />
        ) : (
          <>
            <ul class="list">
              {state.value.items.map((bot) => (
                <ChatbotRow key={bot.id} bot={bot} />
              ))}
            </ul>
            {state.value.moreError && (
              <ErrorBanner
                title="Couldn't load more chatbots"
                error={state.value.moreError}
                onRetry={loadMoreChatbots}
              />
            )}
            {state.value.nextCursor && !state.value.moreError && (
              <button type="button" class="button" disabled={state.value.loadingMore} onClick={loadMoreChatbots}>
                {state.value.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            )}
          </>
        ))}
    </section>
  );
}
