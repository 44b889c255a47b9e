import { useState } from 'preact/hooks';
import { ErrorBanner } from '../../components/feedback';
import { exportPath } from '../../lib/export-path';
import { type ApiError, download } from '../../lib/http';
import { toApiError } from '../../lib/resource';

type Format = 'csv' | 'jsonl';

/**
 * Exports every conversation matching the current filters, with its messages, as CSV (one row per message) or
 * JSONL (one conversation per line): one request to the server-side export (GET /api/v1/conversations/export), which
 * streams the whole result, so a large export costs one request of the rate limit, not one per conversation.
 */
export function Export({ path }: { path: string }) {
  const [progress, setProgress] = useState<{ format: Format } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [cancel, setCancel] = useState<AbortController | null>(null);

  async function run(format: Format) {
    const controller = new AbortController();
    setCancel(controller);
    setError(null);
    setProgress({ format });
    try {
      const blob = await download(exportPath(path, format), { signal: controller.signal });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `parley-conversations-${new Date().toISOString().slice(0, 10)}.${format}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (caught) {
      if (!controller.signal.aborted) setError(toApiError(caught));
    } finally {
      setProgress(null);
      setCancel(null);
    }
  }

  return (
    <div class="export">
      {progress ? (
        <>
          <span role="status" class="muted">
            Exporting {progress.format.toUpperCase()}…
          </span>
          <progress aria-label="Export progress" />
          <button type="button" class="button subtle" onClick={() => cancel?.abort()}>
            Cancel
          </button>
        </>
      ) : (
        <>
          <button type="button" class="button" onClick={() => void run('csv')}>
            Export CSV
          </button>
          <button type="button" class="button" onClick={() => void run('jsonl')}>
            Export JSONL
          </button>
        </>
      )}
      {error && <ErrorBanner title="Export failed" error={error} />}
    </div>
  );
}
