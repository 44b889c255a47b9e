/// <reference types="node" />
/**
 * WebSocket clients that drive one conversation turn after turn and time each turn on the client with
 * performance.now(), taken as the first thing when a frame arrives:
 *
 *   send  the user's message frame is handed to the socket;
 *   t0    the message is accepted — Parley: its `message.created` event; AIChatAgent has no such event for the
 *         sender, so t0 there is its first `cf_agent_use_chat_response` frame (the UI stream's `start` chunk), sent
 *         only after the user message is persisted and onChatMessage has returned its streaming Response;
 *   t1    the first text delta of the reply;
 *   t2    the reply is complete — Parley: its `message.completed`; AIChatAgent: the `done: true` frame, which it
 *         holds back until the assistant message is persisted.
 */
import WebSocket from 'ws';
import { tokenize } from '../../plugins/providers/offline/reply.ts';
import type { ConversationEvent } from '../../worker/conversation/protocol.ts';

const TURN_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 60_000;
// Conversations are opened a few at a time: opening is not measured, and 100 handshakes at once can time out.
const OPEN_CONCURRENCY = 8;

export interface TurnTiming {
  send: number;
  t0: number;
  t1: number;
  t2: number;
}

export interface ChatSession {
  turn(index: number): Promise<TurnTiming>;
  close(): void;
}

export interface ChatTarget {
  system: string;
  open(count: number): Promise<ChatSession[]>;
}

type FrameHandler = (text: string, at: number) => void;

/** `count` sessions from `openOne`, at most OPEN_CONCURRENCY handshakes at a time; on failure, closes those opened. */
async function openMany(count: number, openOne: () => Promise<ChatSession>): Promise<ChatSession[]> {
  const sessions: ChatSession[] = [];
  try {
    while (sessions.length < count) {
      const batch = Math.min(OPEN_CONCURRENCY, count - sessions.length);
      sessions.push(...(await Promise.all(Array.from({ length: batch }, openOne))));
    }
    return sessions;
  } catch (error) {
    for (const session of sessions) session.close();
    throw error;
  }
}

/** A socket whose frames go to the handler of the turn in progress; closing early fails that turn. */
class Socket {
  private handler: FrameHandler | undefined;
  private onLost: ((error: Error) => void) | undefined;
  private closing = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const at = performance.now();
      if (!isBinary) this.handler?.(data.toString(), at);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (!this.closing) this.onLost?.(new Error(`socket closed mid-run (${code} ${reason.toString()})`));
    });
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<Socket> {
    return new Promise((resolveOpen, reject) => {
      // workerd does not negotiate permessage-deflate; don't offer it.
      const ws = new WebSocket(url, { headers, perMessageDeflate: false, handshakeTimeout: CONNECT_TIMEOUT_MS });
      ws.once('open', () => resolveOpen(new Socket(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_request, response) => {
        reject(new Error(`WebSocket ${url}: HTTP ${response.statusCode}`));
      });
    });
  }

  /** Runs one exchange: `send` is called once the handler is in place; the handler settles the promise. */
  exchange<T>(
    label: string,
    send: () => void,
    handle: (text: string, at: number, settle: Settle<T>) => void,
  ): Promise<T> {
    return new Promise<T>((resolveTurn, reject) => {
      const finish = () => {
        clearTimeout(timer);
        this.handler = undefined;
        this.onLost = undefined;
      };
      const settle: Settle<T> = {
        ok: (value) => {
          finish();
          resolveTurn(value);
        },
        fail: (error) => {
          finish();
          reject(error);
        },
      };
      const timer = setTimeout(
        () => settle.fail(new Error(`${label}: no complete reply within ${TURN_TIMEOUT_MS} ms`)),
        TURN_TIMEOUT_MS,
      );
      this.onLost = (error) => settle.fail(new Error(`${label}: ${error.message}`));
      this.handler = (text, at) => {
        try {
          handle(text, at, settle);
        } catch (error) {
          settle.fail(error instanceof Error ? error : new Error(String(error)));
        }
      };
      send();
    });
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  close(): void {
    this.closing = true;
    this.ws.close(1000, 'bench done');
  }
}

interface Settle<T> {
  ok(value: T): void;
  fail(error: Error): void;
}

/** Parley: POST /api/v1/conversations, then GET /api/v1/conversations/{id}/ws (docs/protocol.md). */
export function parleyTarget(options: {
  origin: string;
  apiKey: string;
  chatbotId: string;
  question: string;
  replyTokens: number;
  /** Extra query of the socket URL, e.g. `&nodeEvents=false`. */
  socketQuery?: string;
}): ChatTarget {
  const { origin, apiKey, question, replyTokens } = options;
  const auth = { authorization: `Bearer ${apiKey}` };

  async function openOne(): Promise<ChatSession> {
    const res = await fetch(`${origin}/api/v1/conversations`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ chatbotId: options.chatbotId }),
    });
    if (res.status !== 201) throw new Error(`POST /api/v1/conversations: ${res.status} ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    const socket = await Socket.open(
      `${origin.replace(/^http/, 'ws')}/api/v1/conversations/${id}/ws?after=0${options.socketQuery ?? ''}`,
      auth,
    );
    return {
      close: () => socket.close(),
      turn: (index) => {
        const clientMessageId = `bench-${index}`;
        const label = `Parley ${id} turn ${index}`;
        const timing = { send: 0, t0: Number.NaN, t1: Number.NaN, t2: Number.NaN };
        let turnId: string | undefined;
        let replyId: string | undefined;
        let deltas = 0;
        let text = '';
        return socket.exchange<TurnTiming>(
          label,
          () => {
            timing.send = performance.now();
            socket.send({ type: 'message.send', text: question, clientMessageId });
          },
          (frame, at, settle) => {
            if (frame === 'pong') return;
            const event = JSON.parse(frame) as ConversationEvent | { type: 'rejected'; error: { code: string } };
            if (event.type === 'rejected')
              return settle.fail(new Error(`${label}: rejected ${JSON.stringify(event.error)}`));
            if (event.type === 'message.created') {
              if (event.message.role === 'user' && event.message.clientMessageId === clientMessageId) {
                timing.t0 = at;
                turnId = event.message.turnId;
              } else if (event.message.role === 'assistant' && event.message.turnId === turnId)
                replyId = event.message.id;
            } else if (event.type === 'delta' && replyId && event.messageId === replyId) {
              if (deltas === 0) timing.t1 = at;
              deltas++;
              text += event.text;
            } else if (event.type === 'error' && replyId && event.messageId === replyId) {
              settle.fail(new Error(`${label}: ${JSON.stringify(event.error)}`));
            } else if (
              event.type === 'message.completed' &&
              event.message.role === 'assistant' &&
              event.message.turnId === turnId
            ) {
              timing.t2 = at;
              const { status, usage, content } = event.message;
              if (status !== 'complete') return settle.fail(new Error(`${label}: reply ${status}`));
              // A delta may carry several tokens (docs/protocol.md): what must hold is that they join to the reply.
              const streamed = tokenize(text).length;
              if (usage?.outputTokens !== replyTokens || streamed !== replyTokens || content !== text) {
                return settle.fail(
                  new Error(
                    `${label}: expected ${replyTokens} tokens, got usage ${usage?.outputTokens} and ${streamed} streamed in ${deltas} deltas`,
                  ),
                );
              }
              settle.ok(timing);
            }
          },
        );
      },
    };
  }

  return { system: 'Parley', open: (count) => openMany(count, openOne) };
}

/**
 * A UI message as an AIChatAgent client sends it back every turn. The reply is rebuilt exactly as the agent stores
 * it (step-start, then the text part; no metadata), so re-sending it never makes the agent rewrite it: the
 * comparison gives AIChatAgent its cheapest case.
 */
interface UiMessage {
  id: string;
  role: 'user' | 'assistant';
  parts: ({ type: 'text'; text: string; state?: 'done' } | { type: 'step-start' })[];
}

/**
 * AIChatAgent (@cloudflare/ai-chat) over its own protocol, as `useAgentChat` speaks it: connect to
 * /agents/chat-agent/<name>; each turn send `cf_agent_use_chat_request` whose body carries every message so far plus
 * the new one; the reply comes as `cf_agent_use_chat_response` frames, one per UI message stream chunk, then
 * `done: true`.
 */
export function aiChatTarget(options: {
  origin: string;
  question: string;
  replyTokens: number;
  runId: string;
}): ChatTarget {
  const { origin, question, replyTokens } = options;
  let opened = 0;

  async function openOne(): Promise<ChatSession> {
    const name = `bench-${options.runId}-${opened++}`;
    const socket = await Socket.open(`${origin.replace(/^http/, 'ws')}/agents/chat-agent/${name}`);
    const history: UiMessage[] = [];
    return {
      close: () => socket.close(),
      turn: (index) => {
        const requestId = `req-${index}`;
        const label = `AIChatAgent ${name} turn ${index}`;
        const timing = { send: 0, t0: Number.NaN, t1: Number.NaN, t2: Number.NaN };
        const user: UiMessage = { id: `user-${index}`, role: 'user', parts: [{ type: 'text', text: question }] };
        const reply: UiMessage = { id: '', role: 'assistant', parts: [] };
        let deltas = 0;
        let text = '';
        return socket.exchange<TurnTiming>(
          label,
          () => {
            const body = JSON.stringify({ messages: [...history, user], trigger: 'submit-message' });
            timing.send = performance.now();
            socket.send({ id: requestId, init: { method: 'POST', body }, type: 'cf_agent_use_chat_request' });
          },
          (frame, at, settle) => {
            const message = JSON.parse(frame) as {
              type: string;
              id?: string;
              body?: string;
              done?: boolean;
              error?: boolean;
            };
            if (message.type !== 'cf_agent_use_chat_response' || message.id !== requestId) return;
            if (Number.isNaN(timing.t0)) timing.t0 = at;
            if (message.error) return settle.fail(new Error(`${label}: ${message.body}`));
            if (message.body?.trim()) {
              const chunk = JSON.parse(message.body) as { type: string; delta?: string; messageId?: string };
              if (chunk.type === 'text-delta') {
                if (deltas === 0) timing.t1 = at;
                deltas++;
                text += chunk.delta ?? '';
              } else if (chunk.type === 'start' && chunk.messageId) reply.id = chunk.messageId;
              else if (chunk.type === 'start-step') reply.parts.push({ type: 'step-start' });
            }
            if (message.done) {
              timing.t2 = at;
              if (deltas !== replyTokens)
                return settle.fail(new Error(`${label}: expected ${replyTokens} deltas, got ${deltas}`));
              reply.parts.push({ type: 'text', text, state: 'done' });
              history.push(user, reply);
              settle.ok(timing);
            }
          },
        );
      },
    };
  }

  return { system: 'AIChatAgent', open: (count) => openMany(count, openOne) };
}
