/**
 * The transcript as a pure function of the conversation's events (docs/protocol.md). Events at or below the last
 * seen `seq` are ignored, so a replay after a reconnect (or the WebSocket and SSE both delivering) never doubles text.
 */
import type {
  WidgetAttachment,
  WidgetCitation,
  WidgetEvent,
  WidgetMessage,
  WidgetToolApproval,
} from '../../worker/widget/api-schemas.ts';

export type Attachment = WidgetAttachment;
export type Cite = WidgetCitation;
export interface Msg {
  id: string;
  role: string;
  text: string;
  /** sending | failed (local only), streaming | complete | stopped | error (server). */
  status: string;
  at: number;
  cid?: string | null;
  files?: Attachment[];
  rating?: 'up' | 'down' | null;
  /** The sources the reply's `[n]` markers refer to (metadata.citations). */
  cites?: Cite[];
}

/** What the transcript reads of a server message (all of it comes from the API's schema). */
export type ServerMessage = Pick<WidgetMessage, 'id' | 'role' | 'content' | 'status'> &
  Partial<Pick<WidgetMessage, 'clientMessageId' | 'createdAt' | 'metadata'>>;

/** A conversation event (docs/protocol.md) as the transcript reads it: no `at`, and only the message fields above. */
type Loosen<E> = E extends { message: WidgetMessage }
  ? Omit<E, 'message' | 'at'> & { message: ServerMessage }
  : Omit<E, 'at'>;
export type ServerEvent = Loosen<WidgetEvent>;

/** A tool call the assistant asks the user to approve (docs/tools.md#approval), then how it was decided. */
export interface Ask {
  id: string;
  name: string;
  args: string;
  /** '' while waiting; then approved | denied, and by whom (user, timeout, …). */
  st: '' | 'approved' | 'denied';
  by?: string;
  /** The user pressed a button; the decision is on its way. */
  sent?: boolean;
}

export interface Transcript {
  seq: number;
  msgs: Msg[];
  asks: Ask[];
}

export const empty: Transcript = { seq: 0, msgs: [], asks: [] };

const ask = (a: WidgetToolApproval): Ask => ({ id: a.id, name: a.name, args: a.arguments, st: '' });

export function fromServer(m: ServerMessage, local?: Msg): Msg {
  const at = typeof m.createdAt === 'string' ? Date.parse(m.createdAt) : m.createdAt;
  return {
    id: m.id,
    role: m.role,
    text: m.content ?? '',
    status: m.status,
    at: at || local?.at || Date.now(),
    cid: m.clientMessageId ?? null,
    files: m.metadata?.attachments ?? local?.files,
    rating: m.metadata?.feedback?.rating ?? local?.rating ?? null,
    cites: m.metadata?.citations,
  };
}

/** A history page from GET …/messages replaces the transcript; local messages not yet acknowledged are kept. */
export function loadHistory(
  state: Transcript,
  data: ServerMessage[],
  lastSeq: number,
  approvals: WidgetToolApproval[] = [],
): Transcript {
  const msgs = data.map((m) => fromServer(m));
  const known = new Set(msgs.map((m) => m.cid).filter(Boolean));
  const pending = state.msgs.filter((m) => m.status === 'sending' && !known.has(m.cid));
  return { seq: Math.max(state.seq, lastSeq), msgs: [...msgs, ...pending], asks: approvals.map(ask) };
}

/** Adds the user's message before the server acknowledges it (replaced by its message.created, matched by cid). */
export function addLocal(state: Transcript, msg: Msg): Transcript {
  return { ...state, msgs: [...state.msgs.filter((m) => m.id !== msg.id), msg] };
}

export function patch(state: Transcript, id: string, change: Partial<Msg>): Transcript {
  return { ...state, msgs: state.msgs.map((m) => (m.id === id ? { ...m, ...change } : m)) };
}

export function reduce(state: Transcript, event: ServerEvent): Transcript {
  if (typeof event.seq !== 'number' || event.seq <= state.seq) return state;
  const seq = event.seq;
  let { msgs, asks } = state;
  if ('message' in event) {
    const m = event.message;
    const index = msgs.findIndex((x) => x.id === m.id || (m.clientMessageId && x.cid === m.clientMessageId));
    const next = fromServer(m, msgs[index]);
    // A reply's deltas may have been applied already: message.created carries no text, keep what streamed.
    if (event.type === 'message.created' && index >= 0 && !next.text) next.text = msgs[index]?.text ?? '';
    msgs = index >= 0 ? msgs.map((x, i) => (i === index ? next : x)) : [...msgs, next];
  } else if ('text' in event) {
    const id = event.messageId;
    msgs = msgs.some((x) => x.id === id)
      ? msgs.map((x) => (x.id === id ? { ...x, text: x.text + event.text } : x))
      : [...msgs, { id, role: 'assistant', text: event.text, status: 'streaming', at: Date.now() }];
  } else if (event.type === 'tool.approval_requested') {
    if (!asks.some((a) => a.id === event.approval.id)) asks = [...asks, ask(event.approval)];
  } else if (event.type === 'tool.approval_decided') {
    asks = asks.map((a) => (a.id === event.approvalId ? { ...a, st: event.decision, by: event.by, sent: false } : a));
  }
  return { seq, msgs, asks };
}
