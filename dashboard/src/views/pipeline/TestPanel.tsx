/**
 * Test the draft and watch it run. A message goes to a test conversation of version 0 (the chat tab's mechanism:
 * POST /api/v1/conversations, then a streamed POST …/messages); `node.*` events on that stream light the canvas
 * node by node, the reply streams below, and once the turn ends the trace gives each node's input, output, time and
 * tokens. The test conversation's session state and participant data are shown and can be reset.
 */
import { useRef, useState } from 'preact/hooks';
import { ErrorBanner } from '../../components/feedback';
import { MessageBubble } from '../../components/MessageBubble';
import { type ApiError, del, get, post, streamRequest } from '../../lib/http';
import { toApiError } from '../../lib/resource';
import { readEvents } from '../../lib/sse';
import type { Conversation, Message } from '../../lib/types';
import type { KeyValues, MessageTrace, PipelineEvent, TraceEntry } from './api-types';
import type { RunStatus } from './Canvas';
import { applyRunEvent } from './run-view';

export interface TestPanelProps {
  chatbotId: string;
  /** Saves pending edits first, so the run uses what is on screen. */
  beforeSend: () => Promise<boolean>;
  onRun: (run: ReadonlyMap<string, RunStatus>) => void;
}

const show = (value: unknown) => (value === undefined ? '—' : JSON.stringify(value, null, 2));

function Values({
  title,
  values,
  onReset,
}: {
  title: string;
  values: Record<string, unknown> | null;
  onReset: () => void;
}) {
  return (
    <section aria-label={title}>
      <div class="row">
        <h3 class="small grow">{title}</h3>
        <button type="button" class="button subtle small" onClick={onReset} disabled={values === null}>
          Reset {title.toLowerCase()}
        </button>
      </div>
      {values === null ? (
        <p class="muted small">Not loaded yet.</p>
      ) : Object.keys(values).length === 0 ? (
        <p class="muted small">Empty.</p>
      ) : (
        <pre class="pl-json">{show(values)}</pre>
      )}
    </section>
  );
}

export function TestPanel({ chatbotId, beforeSend, onRun }: TestPanelProps) {
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [trace, setTrace] = useState<TraceEntry[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [session, setSession] = useState<Record<string, unknown> | null>(null);
  const [participant, setParticipant] = useState<Record<string, unknown> | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const run = useRef(new Map<string, RunStatus>());

  const participantPath = (c: Conversation) =>
    c.participantId ? `/api/v1/participants/${c.participantId}/data/${encodeURIComponent(chatbotId)}` : null;

  async function loadValues(c: Conversation) {
    const values = (answer: KeyValues | null) =>
      answer?.state ?? answer?.data ?? (answer as Record<string, unknown> | null) ?? {};
    setSession(values(await get<KeyValues>(`/api/v1/conversations/${c.id}/session-state`).catch(() => null)));
    const path = participantPath(c);
    setParticipant(path ? values(await get<KeyValues>(path).catch(() => null)) : {});
  }

  const upsert = (message: Message) =>
    setMessages((list) => {
      const index = list.findIndex((m) => m.id === message.id);
      return index === -1 ? [...list, message] : list.map((m) => (m.id === message.id ? message : m));
    });

  async function send(event: Event) {
    event.preventDefault();
    const text = input.current?.value.trim();
    if (!text || busy) return;
    setBusy(true);
    setError(null);
    setFailure(null);
    setTrace([]);
    run.current = new Map();
    onRun(run.current);
    try {
      if (!(await beforeSend())) throw new Error('The draft has unsaved problems; fix them (see the nodes) first.');
      const current =
        conversation ??
        (await post<Conversation>('/api/v1/conversations', {
          chatbotId,
          version: 0,
          participant: { id: 'dashboard-test', name: 'Dashboard test' },
        }));
      setConversation(current);
      if (input.current) input.current.value = '';
      let replyId: string | null = null;
      const response = await streamRequest(`/api/v1/conversations/${current.id}/messages`, { text });
      for await (const frame of readEvents(response)) {
        const type = String(frame.type);
        if (type.startsWith('node.')) {
          run.current = applyRunEvent(run.current, frame as unknown as PipelineEvent);
          onRun(run.current);
          if (type === 'node.failed' && frame.willRetry !== true)
            setFailure(`${String(frame.nodeId)}: ${String(frame.error)}`);
        } else if (type === 'message.created' || type === 'message.completed') {
          const message = frame.message as Message;
          upsert(message);
          if (message.role === 'assistant') replyId = message.id;
        } else if (type === 'delta') {
          const id = String(frame.messageId);
          setMessages((list) => list.map((m) => (m.id === id ? { ...m, content: m.content + String(frame.text) } : m)));
        }
      }
      if (replyId) {
        const answer = await get<MessageTrace>(`/api/v1/conversations/${current.id}/messages/${replyId}/trace`).catch(
          () => null,
        );
        const entries = answer?.trace ?? answer?.data ?? [];
        setTrace(entries);
        if (answer?.error?.nodeId) setFailure(`${answer.error.nodeId}: ${answer.error.message}`);
        // The trace is authoritative: a run whose events were missed still lights up.
        for (const entry of entries) {
          if (entry.status === 'completed' || entry.status === 'failed' || entry.status === 'skipped') {
            run.current = new Map(run.current).set(entry.nodeId, entry.status);
          }
        }
        onRun(run.current);
      }
      await loadValues(current);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  }

  const reset = async (path: string | null, after: () => void) => {
    if (!path) return;
    try {
      await del(path);
      after();
    } catch (caught) {
      setError(toApiError(caught));
    }
  };

  return (
    <section class="pl-panel pl-test" aria-label="Test the draft">
      <div class="row">
        <h2 class="grow">Test</h2>
        <button
          type="button"
          class="button subtle small"
          disabled={busy}
          onClick={() => {
            setConversation(null);
            setMessages([]);
            setTrace([]);
            setSession(null);
            setParticipant(null);
            run.current = new Map();
            onRun(run.current);
          }}
        >
          New test
        </button>
      </div>
      <form class="composer" onSubmit={send}>
        <textarea
          ref={input}
          rows={2}
          placeholder="A message to the draft…"
          aria-label="Test message"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) void send(e);
          }}
        />
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Running…' : 'Run'}
        </button>
      </form>
      {error && <ErrorBanner title="The test did not run" error={error} />}
      {failure && (
        <div class="banner error" role="alert">
          Failed at {failure}
        </div>
      )}
      {trace.length > 0 && (
        <ol class="pl-trace" aria-label="Nodes run">
          {trace.map((entry, index) => (
            <li key={`${entry.nodeId}-${index}`} class={`run-${entry.status}`}>
              <details>
                <summary>
                  <strong>{entry.nodeId}</strong> {entry.status} · {entry.durationMs} ms
                  {entry.tokens && ` · ${entry.tokens.inputTokens} in / ${entry.tokens.outputTokens} out tokens`}
                  {entry.port && ` · → ${entry.port}`}
                </summary>
                {entry.error && <p class="field-error">{entry.error}</p>}
                <p class="small">Input</p>
                <pre class="pl-json">{show(entry.input)}</pre>
                <p class="small">Output</p>
                <pre class="pl-json">{show(entry.output)}</pre>
              </details>
            </li>
          ))}
        </ol>
      )}
      <div class="transcript" role="log" aria-live="polite" aria-label="Reply">
        {messages.length === 0 && <p class="muted small">The reply appears here.</p>}
        {messages.map((message) => (
          <MessageBubble key={message.id} message={message} conversationId={conversation?.id} />
        ))}
      </div>
      {conversation && (
        <>
          <Values
            title="Session state"
            values={session}
            onReset={() => void reset(`/api/v1/conversations/${conversation.id}/session-state`, () => setSession({}))}
          />
          <Values
            title="Participant data"
            values={participant}
            onReset={() => void reset(participantPath(conversation), () => setParticipant({}))}
          />
        </>
      )}
    </section>
  );
}
