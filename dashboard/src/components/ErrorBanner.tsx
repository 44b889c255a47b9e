import type { ApiError } from '../api';
import { asSentence } from '../api';

interface Props {
  /** What failed, in the admin's words: "Couldn't load chatbots". */
  title: string;
  error: ApiError;
  onRetry?: () => void;
}

function hint(error: ApiError): string | null {
  if (error.status === 0) return null;
  if (error.status === 403) return 'Use an API key with the admin scope.';
  if (error.status >= 500) return 'This is a server problem; the Worker logs have the details.';
  return null;
}

export function ErrorBanner({ title, error, onRetry }: Props) {
  const advice = hint(error);
  return (
    <div class="banner error" role="alert">
      <div>
        <strong>{title}.</strong> {asSentence(error.message)}
        {advice && <> {advice}</>}
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
