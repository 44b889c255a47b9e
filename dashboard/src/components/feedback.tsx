/** How views say "loading", "failed" and "nothing here yet". */
import type { ComponentChildren } from 'preact';
import { type ApiError, asSentence, fieldProblems } from '../lib/http';

function hint(error: ApiError): string | null {
  if (error.status === 403) return 'Your role in this team does not allow this.';
  if (error.status === 429) return 'Too many requests; wait a moment and retry.';
  // The provider (or the credentials' settings) failed, not Parley: the message says what the provider answered.
  if (error.code === 'provider_error')
    return 'The model provider refused or failed; check the credentials and the provider status.';
  if (error.status >= 500) return 'This is a server problem; the Worker logs have the details.';
  return null;
}

export function ErrorBanner({ title, error, onRetry }: { title: string; error: ApiError; onRetry?: () => void }) {
  const advice = hint(error);
  const problems = fieldProblems(error);
  return (
    <div class="banner error" role="alert">
      <div>
        <strong>{title}.</strong> {asSentence(error.message)}
        {advice && <> {advice}</>}
        {problems.length > 0 && (
          <ul class="problems">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        )}
        <div class="banner-meta">
          <code>{error.code}</code>
          {error.status > 0 && <> · HTTP {error.status}</>}
        </div>
      </div>
      {onRetry && (
        <button type="button" class="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}

/** An empty list says what the admin can do next. */
export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p>
        <strong>{title}</strong>
      </p>
      {children && <div class="muted">{children}</div>}
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <h1>{title}</h1>
      {children && <div class="actions">{children}</div>}
    </div>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="banner notice" role="status">
      {children}
    </div>
  );
}
