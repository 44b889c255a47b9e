/**
 * Talks to /api/widget/v1 on the script's own origin: a session token (refreshed before it expires and after a 401
 * token_expired), a WebSocket with reconnect + resume from the last seq, SSE + POST when the socket cannot open.
 */

import type {
  RejectedFrame,
  WidgetHistory,
  WidgetSession,
  WidgetSessionBody,
} from '../../worker/widget/api-schemas.ts';
import { SessionError, sessionNotice } from './notice';
import { type Attachment, addLocal, empty, loadHistory, type Msg, patch, reduce, type ServerEvent } from './reducer';
import { emit, set, state } from './store';

export type Identity = NonNullable<WidgetSessionBody['identity']>;

const cfg = { api: '', key: '', locale: '' as string | undefined, base: '' };
let token = '';
let exp = 0;
/** Lifetime of the current token in ms: refresh margins scale down with it (a short WIDGET_TOKEN_TTL_SECONDS). */
let life = 0;
let conv = '';
let anon: string | null = '';
let identity: Identity | undefined;
export const context: { fields: Record<string, string | number | boolean> } = { fields: {} };
let ws: WebSocket | null = null;
let es: EventSource | null = null;
let sse = false;
let tries = 0;
let timer = 0;
let refresh = 0;
let starting: Promise<void> | null = null;
/** The clientMessageId last sent over the socket: a `rejected` frame refers to it. */
let sentCid = '';
let noticeTimer = 0;

/** Refresh margin before expiry: 2 minutes, or a quarter of a shorter token lifetime. */
const margin = () => Math.min(120_000, life / 4);

const storeKey = () => `parley:${cfg.key}`;
function save(): void {
  try {
    localStorage.setItem(storeKey(), JSON.stringify({ c: conv, a: anon, s: state.t.seq }));
  } catch {}
}

export function configure(api: string, key: string, locale?: string): void {
  Object.assign(cfg, { api: `${api}/api/widget/v1`, key, locale, base: api });
}

/** A citation's link, absolute: a relative one (a public file's download) is on the widget's API origin. */
export const srcUrl = (url: string) => (url[0] === '/' ? cfg.base + url : url);

let restored = false;
/**
 * Whether this browser already has a conversation (read once, lazily: a page's first localStorage access can block
 * for milliseconds, so it waits until the launcher is on screen).
 */
export function restore(): boolean {
  if (!restored) {
    restored = true;
    try {
      const saved = JSON.parse(localStorage.getItem(storeKey()) ?? 'null') as { c: string; a: string } | null;
      if (saved) [conv, anon] = [saved.c, saved.a];
    } catch {}
  }
  return !!conv;
}

const enc = encodeURIComponent;
const convUrl = (path: string) => `${cfg.api}/conversations/${enc(conv)}/${path}`;

const errorCode = async (res: Response) =>
  ((await res.json().catch(() => ({}))) as { error?: { code?: string } }).error?.code;

async function session(): Promise<void> {
  const res = await fetch(`${cfg.api}/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      widgetKey: cfg.key,
      conversationId: conv || undefined,
      anonymousId: anon || undefined,
      identity,
      locale: cfg.locale,
    }),
  });
  if (!res.ok) {
    const notice = sessionNotice(res.status, await errorCode(res));
    throw new SessionError(
      notice,
      notice === 'blocked' ? `origin ${location.origin} is not allowed` : `session ${res.status}`,
    );
  }
  const s = (await res.json()) as WidgetSession;
  if (conv && s.conversationId !== conv) set({ t: empty });
  [token, conv, anon, exp] = [s.token, s.conversationId, s.anonymousId, Date.parse(s.expiresAt)];
  life = exp - Date.now();
  set({ bot: s.chatbot });
  save();
  schedule(exp - Date.now() - margin());
}

/** The next token refresh; a failed one (offline, server down) is tried again rather than left to expire. */
function schedule(delay: number): void {
  clearTimeout(refresh);
  refresh = window.setTimeout(() => session().catch(() => schedule(5_000)), Math.max(delay, 1_000));
}

/** Shows a rate-limit or other notice; a rate limit clears itself when the server says the quota resets. */
function notify(notice: string, clearAfterSeconds = 0): void {
  clearTimeout(noticeTimer);
  set({ notice });
  if (clearAfterSeconds > 0) {
    noticeTimer = window.setTimeout(() => state.notice === notice && set({ notice: '' }), clearAfterSeconds * 1000);
  }
}

/** fetch with the Bearer token; one retry with a fresh session after 401 token_expired. */
async function call(url: string, init: RequestInit = {}, again = true): Promise<Response> {
  const res = await fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
  if (res.status === 401 && again && (await errorCode(res.clone())) === 'token_expired') {
    await session();
    return call(url, init, false);
  }
  return res;
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function onEvent(event: ServerEvent): void {
  const before = state.t;
  const t = reduce(before, event);
  if (t === before) return;
  set({ t });
  save();
  if ('message' in event && (event.type === 'message.completed' || event.message.role === 'user')) {
    const msg = t.msgs.find((m) => m.id === event.message.id);
    // Announce the reply once, as plain text (no markdown punctuation, no link targets).
    if (event.type === 'message.completed') set({ live: msg?.text.replace(/\]\([^)]*\)|[*`[]/g, '') ?? '' });
    emit('message', msg);
  }
}

function onFrame(data: string): void {
  if (data === 'pong') return;
  const frame = JSON.parse(data) as ServerEvent | RejectedFrame;
  if (frame.type !== 'rejected') {
    onEvent(frame);
    return;
  }
  // A tool decision refused (already decided, e.g. by the timeout): its tool.approval_decided says how.
  if (frame.approvalId) return;
  // The refused message was never stored: mark it failed, with Retry, rather than leave it "sending" forever.
  const cid = frame.clientMessageId ?? sentCid;
  if (cid) set({ t: patch(state.t, cid, { status: 'failed' }) });
  const limited = frame.error?.code === 'rate_limited';
  notify(limited ? 'limited' : 'error', limited ? (frame.error?.retryAfterSeconds ?? 10) : 0);
}

function retryLater(): void {
  clearTimeout(timer);
  set({ net: navigator.onLine ? 'connecting' : 'offline' });
  timer = window.setTimeout(connect, Math.min(30_000, 500 * 2 ** tries++) * (0.5 + Math.random()));
}

function disconnect(): void {
  clearTimeout(timer);
  if (ws) ws.onclose = null;
  ws?.close();
  es?.close();
  ws = es = null;
}

export async function connect(): Promise<void> {
  disconnect();
  if (!conv) return;
  if (!navigator.onLine) return void set({ net: 'offline' });
  set({ net: 'connecting' });
  try {
    if (Date.now() > exp - margin() / 2) await session();
  } catch {
    return retryLater();
  }
  const query = `?token=${enc(token)}&after=${state.t.seq}`;
  if (sse) {
    const source = new EventSource(convUrl(`events${query}`));
    es = source;
    source.onopen = () => {
      tries = 0;
      set({ net: 'online' });
    };
    for (const type of [
      'message.created',
      'delta',
      'message.completed',
      'error',
      'tool.approval_requested',
      'tool.approval_decided',
    ]) {
      source.addEventListener(type, (e) => (e as MessageEvent).data && onFrame((e as MessageEvent).data));
    }
    // Reconnect ourselves (fresh token, current seq) rather than with EventSource's stale URL.
    source.onerror = retryLater;
    return;
  }
  const socket = new WebSocket(`${convUrl(`ws${query}`).replace(/^http/, 'ws')}`);
  let opened = false;
  ws = socket;
  socket.onopen = () => {
    opened = true;
    tries = 0;
    set({ net: 'online' });
  };
  socket.onmessage = (e) => onFrame(String(e.data));
  socket.onclose = () => {
    // Never opened on the first try: WebSockets are blocked on this network, so follow the SSE stream instead.
    if (!opened && tries === 0) sse = true;
    retryLater();
  };
}

/** Creates or resumes the session, loads the history, then follows the conversation. Idempotent. */
export function start(): Promise<void> {
  starting ??= (async () => {
    restore();
    await session();
    const res = await call(convUrl('messages'));
    if (res.ok) {
      const page = (await res.json()) as WidgetHistory;
      set({ t: loadHistory(state.t, page.data, page.lastSeq ?? 0, page.pendingApprovals) });
    }
    await connect();
  })().catch((error: unknown) => {
    starting = null;
    const notice = error instanceof SessionError ? error.notice : 'error';
    set({ notice });
    if (notice === 'blocked') {
      console.warn(
        `[parley] ${location.origin} is not on this chatbot's widget key: add it to the key's allowed origins`,
      );
    } else console.warn('[parley]', error);
  });
  return starting;
}

/**
 * Whether the socket is (or, within 3 s, becomes) open. A first message sent right after the chat opens waits for
 * the socket rather than POSTing, so its reply streams instead of arriving all at once in the replay.
 */
function socketOpen(): Promise<boolean> {
  const socket = ws;
  if (socket?.readyState !== 0) return Promise.resolve(socket?.readyState === 1);
  return new Promise((done) => {
    const timeout = setTimeout(() => done(false), 3000);
    const settle = (open: boolean) => () => {
      clearTimeout(timeout);
      done(open);
    };
    socket.addEventListener('open', settle(true), { once: true });
    socket.addEventListener('close', settle(false), { once: true });
  });
}

export async function send(
  text: string,
  cid: string = crypto.randomUUID(),
  files: Attachment[] = state.files,
): Promise<void> {
  if (!text.trim() && !files.length) return;
  const local: Msg = { id: cid, cid, role: 'user', text, status: 'sending', at: Date.now(), files };
  set({ t: addLocal(state.t, local), files: [], notice: '' });
  await start();
  const frame = {
    text,
    clientMessageId: cid,
    context: { url: location.href.slice(0, 2048), title: document.title.slice(0, 300), fields: context.fields },
    attachments: files.length ? files.map((f) => f.fileId) : undefined,
  };
  if ((await socketOpen()) && ws) {
    sentCid = cid;
    return ws.send(JSON.stringify({ type: 'message.send', ...frame }));
  }
  const res = await call(convUrl('messages'), json(frame)).catch(() => null);
  if (!res?.ok) {
    set({ t: patch(state.t, cid, { status: 'failed' }) });
    if (res?.status === 429) notify('limited', Number(res.headers.get('retry-after')) || 10);
  }
}

export function cancel(): void {
  if (ws?.readyState === 1) ws.send('{"type":"cancel"}');
  else call(convUrl('cancel'), { method: 'POST' }).catch(() => {});
}

/** The user's decision on a tool call waiting for approval: over the socket, else the REST route. */
export function decide(id: string, approve: boolean): void {
  set({ t: { ...state.t, asks: state.t.asks.map((a) => (a.id === id ? { ...a, sent: true } : a)) } });
  const decision = approve ? 'approve' : 'deny';
  if (ws?.readyState === 1) ws.send(JSON.stringify({ type: 'tool.approval', approvalId: id, decision }));
  else call(convUrl(`tool-approvals/${enc(id)}`), json({ decision })).catch(() => {});
}

export function feedback(messageId: string, rating: 'up' | 'down' | null): void {
  set({ t: patch(state.t, messageId, { rating }) });
  call(convUrl('feedback'), json({ messageId, rating })).catch(() => {});
}

export async function upload(file: File): Promise<void> {
  set({ uploading: true, notice: '' });
  try {
    await start();
    const res = await call(convUrl(`uploads?name=${enc(file.name)}`), {
      method: 'POST',
      headers: { 'content-type': file.type },
      body: file,
    });
    if (!res.ok) throw new Error(res.status === 413 ? 'tooBig' : 'error');
    const f = (await res.json()) as Attachment;
    set({ files: [...state.files, f].slice(0, 4) });
  } catch (error) {
    set({ notice: (error as Error).message === 'tooBig' ? 'tooBig' : 'error' });
  }
  set({ uploading: false });
}

/** A file URL the browser can load without headers (same conversation only). */
export const fileUrl = (f: Attachment) => `${cfg.api}/files/${enc(f.fileId)}?token=${enc(token)}`;

export function identify(who: Identity): Promise<void> {
  identity = who;
  starting = null;
  return start();
}

/**
 * Starts a new conversation. Without a conversationId the server continues the participant's latest one, so an
 * anonymous visitor also drops its anonymousId (the server issues a new participant).
 */
export function reset(): Promise<void> {
  disconnect();
  restored = true;
  conv = anon = '';
  starting = null;
  set({ t: empty, files: [], notice: '', live: '' });
  save();
  return start();
}

addEventListener('online', () => conv && connect());
addEventListener('offline', () => {
  disconnect();
  set({ net: 'offline' });
});
