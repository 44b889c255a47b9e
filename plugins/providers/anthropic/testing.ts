/**
 * Test helpers: contexts that point the real SDK at the fake Claude API (`plugins/providers/anthropic/fake/server.ts`) over real
 * HTTP, recording every request the plugin sends. Imported by the tests only.
 */
import { inject } from 'vitest';
import type { ChatMessage, ChatRequest, ChatStreamEvent, Clock, PluginContext } from '../../sdk/index.ts';
import { fakeClock } from '../../sdk/testing/fakes.ts';
import { anthropicProvider } from './index.ts';
import type { AnthropicSettings } from './settings.ts';

export const FAKE_KEY = 'test-key';

export function fakeApiUrl(): string {
  const url = inject('fakeServers').anthropic;
  if (!url) throw new Error('The anthropic fake server is not running (plugins/providers/anthropic/fake/server.ts)');
  return url;
}

export interface SentRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** The JSON body, parsed; undefined for GETs. */
  body: Record<string, unknown> | undefined;
}

export interface FakeContext extends PluginContext<AnthropicSettings> {
  /** Every HTTP request the SDK made, retries included, in order. */
  sent: SentRequest[];
}

export function fakeContext(
  settings: Partial<AnthropicSettings> = {},
  ports: { signal?: AbortSignal; clock?: Clock } = {},
): FakeContext {
  const sent: SentRequest[] = [];
  return {
    settings: anthropicProvider.settings.parse({ apiKey: FAKE_KEY, baseUrl: fakeApiUrl(), ...settings }),
    // Real fetch from workerd to the fake on loopback, so the SDK's HTTP, SSE and retry code all run for real.
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const text = request.method === 'GET' ? '' : await request.clone().text();
      sent.push({
        method: request.method,
        url: new URL(request.url),
        headers: new Headers(request.headers),
        body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
      });
      return fetch(input, init);
    },
    clock: ports.clock ?? fakeClock(),
    signal: ports.signal ?? new AbortController().signal,
    sent,
  };
}

export interface Run {
  events: ChatStreamEvent[];
  error?: unknown;
}

/** Runs one chat to its end, keeping what it streamed and what it threw. */
export async function run(ctx: PluginContext<AnthropicSettings>, request: Partial<ChatRequest>): Promise<Run> {
  const full: ChatRequest = { model: 'fake-echo', messages: [], parameters: {}, ...request };
  const events: ChatStreamEvent[] = [];
  try {
    for await (const event of anthropicProvider.chat(ctx, full)) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

export const user = (content: string): ChatMessage => ({ role: 'user', content });

/** A first message no other test sends, so the fake's per-conversation state is this test's own. */
export const uniqueQuestion = (label: string): string => `${label} ${crypto.randomUUID()}`;

export const text = (events: readonly ChatStreamEvent[]): string =>
  events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');

export const ofType = <T extends ChatStreamEvent['type']>(events: readonly ChatStreamEvent[], type: T) =>
  events.filter((event): event is Extract<ChatStreamEvent, { type: T }> => event.type === type);

/** What the fake saw of a conversation: requests received and streams the client closed before the end. */
export async function conversationState(first: string): Promise<{ requests: number; closedEarly: number }> {
  const response = await fetch(`${fakeApiUrl()}/__fake/conversations?first=${encodeURIComponent(first)}`);
  return (await response.json()) as { requests: number; closedEarly: number };
}
