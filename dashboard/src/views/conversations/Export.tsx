import { useState } from 'preact/hooks';
import { ErrorBanner } from '../../components/feedback';
import { getAll } from '../../lib/get-all';
import { type ApiError, get, type Page } from '../../lib/http';
import { toApiError } from '../../lib/resource';
import type { Conversation, Message } from '../../lib/types';

type Format = 'csv' | 'jsonl';

const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  // Cells starting with = + - @ are formulas in spreadsheets (OWASP CSV injection): prefix them with a quote.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

const CSV_HEADER = [
  'conversation_id',
  'chatbot_id',
  'participant_id',
  'tags',
  'position',
  'role',
  'status',
  'created_at',
  'model',
  'input_tokens',
  'output_tokens',
  'rating',
  'message_tags',
  'content',
];

function csvRows(conversation: Conversation, messages: Message[]): string[] {
  return messages.map((m) =>
    [
      conversation.id,
      conversation.chatbotId,
      conversation.participantId,
      (conversation.tags ?? []).join(' '),
      m.position,
      m.role,
      m.status,
      m.createdAt,
      m.model,
      m.usage?.inputTokens,
      m.usage?.outputTokens,
      (m.metadata.feedback as { rating?: string } | undefined)?.rating,
      (m.tags ?? []).join(' '),
      m.content,
    ]
      .map(csvCell)
      .join(','),
  );
}

/**
 * Exports every conversation matching the current filters, with its messages, as CSV (one row per message) or
 * JSONL (one conversation per line). Runs in the browser page by page through the public API, showing progress.
 */
export function Export({ path }: { path: string }) {
  const [progress, setProgress] = useState<{ done: number; format: Format } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [cancel, setCancel] = useState<AbortController | null>(null);

  async function run(format: Format) {
    const controller = new AbortController();
    setCancel(controller);
    setError(null);
    setProgress({ done: 0, format });
    const lines: string[] = format === 'csv' ? [CSV_HEADER.join(',')] : [];
    try {
      let cursor: string | null = null;
      let done = 0;
      do {
        const separator = path.includes('?') ? '&' : '?';
        const page: Page<Conversation> = await get<Page<Conversation>>(
          `${path}${separator}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          { signal: controller.signal },
        );
        for (const conversation of page.data) {
          const messages = await getAll<Message>(`/api/v1/conversations/${conversation.id}/messages`, {
            signal: controller.signal,
            pageSize: 200,
          });
          if (format === 'csv') lines.push(...csvRows(conversation, messages));
          else lines.push(JSON.stringify({ ...conversation, messages }));
          done++;
          setProgress({ done, format });
        }
        cursor = page.nextCursor;
      } while (cursor);
      const blob = new Blob([`${lines.join('\n')}\n`], {
        type: format === 'csv' ? 'text/csv' : 'application/x-ndjson',
      });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `parley-conversations-${new Date().toISOString().slice(0, 10)}.${format}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      setProgress(null);
    } catch (caught) {
      if (!controller.signal.aborted) setError(toApiError(caught));
      setProgress(null);
    } finally {
      setCancel(null);
    }
  }

  return (
    <div class="export">
      {progress ? (
        <>
          <span role="status" class="muted">
            Exporting {progress.format.toUpperCase()}… {progress.done} conversations
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
