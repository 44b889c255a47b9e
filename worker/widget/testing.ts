import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { BASE, seedDemo } from '../../test/seed.ts';
import type { ConversationEvent } from '../conversation/protocol.ts';
import { database } from '../db/client.ts';
import { widgetKeys } from '../db/schema/index.ts';
import { SecretBox } from '../security/secrets.ts';
import { identityHash, openIdentitySecret } from './identity.ts';
import type { WidgetSession } from './session.ts';

/** Test helpers for the widget routes (imported by tests only). */
export const ORIGIN = 'http://localhost:8787';
export const EVIL = 'https://evil.example';
export const API = `${BASE}/api/widget/v1`;

export async function seedWidget() {
  const demo = await seedDemo();
  const db = database(env.DB);
  const key = await db.query.widgetKeys.findFirst({ where: eq(widgetKeys.key, demo.widgetKey) });
  if (!key) throw new Error('demo widget key missing');
  const secret = await openIdentitySecret(await SecretBox.fromBase64Url(env.ENCRYPTION_KEY), key);
  return { demo, sign: (userId: string) => identityHash(secret, userId) };
}

export function postSession(body: Record<string, unknown>, origin: string | null = ORIGIN): Promise<Response> {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (origin) headers.set('origin', origin);
  // Each session from its own address, so the per-IP session quota never couples tests.
  headers.set('cf-connecting-ip', `192.0.2.${Math.floor(Math.random() * 250) + 1}`);
  return SELF.fetch(`${API}/sessions`, { method: 'POST', headers, body: JSON.stringify(body) });
}

export async function openSession(body: Record<string, unknown>): Promise<WidgetSession> {
  const res = await postSession(body);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as WidgetSession;
}

/** A request as the widget on `origin` makes it: token as a bearer header (unless `token` is null). */
export function widgetFetch(
  path: string,
  token: string | null,
  init: RequestInit & { origin?: string | null } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  const origin = init.origin === undefined ? ORIGIN : init.origin;
  if (origin) headers.set('origin', origin);
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (typeof init.body === 'string') headers.set('content-type', 'application/json');
  return SELF.fetch(path.startsWith('http') ? path : `${API}${path}`, { ...init, headers });
}

/** A WebSocket client collecting frames, like websocket.test.ts's. */
export function socketClient(ws: WebSocket) {
  ws.accept();
  const frames: unknown[] = [];
  ws.addEventListener('message', (event) => {
    frames.push(typeof event.data === 'string' && event.data !== 'pong' ? JSON.parse(event.data) : event.data);
  });
  const events = () => frames.filter((f): f is ConversationEvent => typeof f === 'object' && f !== null && 'seq' in f);
  const until = async (done: () => boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out; frames: ${JSON.stringify(frames).slice(0, 500)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return { ws, frames, events, until };
}

export const replyDone = (events: readonly ConversationEvent[]) =>
  events.some((e) => e.type === 'message.completed' && e.message.role === 'assistant');
