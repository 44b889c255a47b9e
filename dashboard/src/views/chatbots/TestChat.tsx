import { Fragment } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { ToolApprovalView } from '../../../../worker/conversations/tool-approval-schemas.ts';
import { ErrorBanner } from '../../components/feedback';
import { MessageBubble } from '../../components/MessageBubble';
import { ApprovalRequest } from '../../components/ToolCalls';
import { type ApiError, post, streamRequest } from '../../lib/http';
import { toApiError } from '../../lib/resource';
import { readEvents } from '../../lib/sse';
import type { Chatbot, Conversation, Message } from '../../lib/types';
import { isNodeEvent, type NodeProgress, nodeProgress, progressLine } from './node-progress';

/**
 * Chats with the draft (version 0) as it is now: each test conversation snapshots the draft when it starts, so
 * "New test" after an edit tries the edit. Replies stream token by token over SSE, exactly as programs get them.
 */
export function TestChat({ bot }: { bot: Chatbot }) {
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // The pipeline's nodes for the reply being generated (node.* events on the same stream).
  const [progress, setProgress] = useState<NodeProgress[]>([]);
  const input = useRef<HTMLTextAreaElement>(null);
  // Tool calls the turn waits on (tool.approval_requested), and how each was decided (tool.approval_decided).
  const [approvals, setApprovals] = useState<ToolApprovalView[]>([]);
  const [outcomes, setOutcomes] = useState<Record<string, { decision: string; by: string }>>({});
  const [deciding, setDeciding] = useState<string | null>(null);

  const upsert = (message: Message) =>
    setMessages((list) => {
      const index = list.findIndex((m) => m.id === message.id);
      return index === -1 ? [...list, message] : list.map((m) => (m.id === message.id ? message : m));
    });
  const append = (id: string, text: string) =>
    setMessages((list) => list.map((m) => (m.id === id ? { ...m, content: m.content + text } : m)));

  async function send(event: Event) {
    event.preventDefault();
    const text = input.current?.value.trim();
    if (!text || busy) return;
    setBusy(true);
    setError(null);
    setProgress([]);
    try {
      const current =
        conversation ??
        (await post<Conversation>('/api/v1/conversations', {
          chatbotId: bot.id,
          version: 0,
          participant: { id: 'dashboard-test', name: 'Dashboard test' },
        }));
      setConversation(current);
      if (input.current) input.current.value = '';
      const response = await streamRequest(`/api/v1/conversations/${current.id}/messages`, { text });
      for await (const frame of readEvents(response)) {
        if (frame.type === 'message.created' || frame.type === 'message.completed') upsert(frame.message as Message);
        else if (frame.type === 'delta') append(String(frame.messageId), String(frame.text));
        else if (frame.type === 'tool.approval_requested') {
          const approval = frame.approval as ToolApprovalView;
          setApprovals((list) => [...list.filter((a) => a.id !== approval.id), approval]);
        } else if (frame.type === 'tool.approval_decided') {
          const id = String(frame.approvalId);
          setOutcomes((known) => ({ ...known, [id]: { decision: String(frame.decision), by: String(frame.by) } }));
        } else if (isNodeEvent(frame)) setProgress((list) => nodeProgress(list, frame));
      }
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  }

  async function decide(approval: ToolApprovalView, decision: 'approve' | 'deny') {
    if (!conversation) return;
    setDeciding(approval.id);
    try {
      // The outcome arrives on the reply's stream as tool.approval_decided (a 409 means the timeout won).
      await post(`/api/v1/conversations/${conversation.id}/tool-approvals/${approval.id}`, { decision });
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setDeciding(null);
    }
  }

  // Under the reply it belongs to (a reply that does not stream has no message yet: then at the end).
  const request = (approval: ToolApprovalView) => (
    <ApprovalRequest
      key={approval.id}
      approval={approval}
      outcome={outcomes[approval.id]}
      busy={deciding === approval.id}
      decide={(decision) => void decide(approval, decision)}
    />
  );

  return (
    <section class="card test-chat" aria-label="Test chat">
      <div class="row">
        <p class="muted grow">Talks to the current draft. Conversations started here are listed like any other.</p>
        <button
          type="button"
          class="button subtle"
          disabled={busy}
          onClick={() => {
            setConversation(null);
            setMessages([]);
            setApprovals([]);
            setOutcomes({});
          }}
        >
          New test
        </button>
      </div>
      <div class="transcript" aria-live="polite">
        {messages.length === 0 && <p class="muted">Send a message to start.</p>}
        {messages.map((message) => (
          <Fragment key={message.id}>
            <MessageBubble message={message} conversationId={conversation?.id} />
            {approvals.filter((a) => a.messageId === message.id).map(request)}
          </Fragment>
        ))}
        {approvals.filter((a) => !messages.some((m) => m.id === a.messageId)).map(request)}
      </div>
      {busy && progress.length > 0 && (
        <ol class="node-progress" aria-label="Pipeline progress">
          {progress.map((node) => (
            <li key={node.nodeId} class={`node-progress-line ${node.status}`}>
              {progressLine(node)}
            </li>
          ))}
        </ol>
      )}
      {error && <ErrorBanner title="Couldn't send" error={error} />}
      <form class="composer" onSubmit={send}>
        <textarea
          ref={input}
          rows={2}
          placeholder="Type a message…"
          aria-label="Message"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) send(e);
          }}
        />
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Answering…' : 'Send'}
        </button>
      </form>
    </section>
  );
}
