/** Test-only helpers: contexts pointed at the fake OpenAI server (plugins/providers/openai/fake/server.ts) and a chat runner. */
import { inject } from 'vitest';
import type { ChatMessage, ChatRequest, ChatStreamEvent, PluginContext, ToolSpec } from '../../sdk/index.ts';
import { fakeClock } from '../../sdk/testing/fakes.ts';
import { openaiProvider } from './index.ts';
import type { OpenAISettings } from './settings.ts';

export const fakeBaseUrl = (): string => {
  const url = inject('fakeServers').openai;
  if (!url)
    throw new Error('The fake OpenAI server is not running: is plugins/providers/openai/fake/server.ts loaded?');
  return url;
};

export const fakeSettings = (overrides: Record<string, unknown> = {}): OpenAISettings =>
  openaiProvider.settings.parse({ apiKey: 'test-key', baseUrl: fakeBaseUrl(), maxRetries: 0, ...overrides });

export interface SentRequest {
  url: string;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A context whose fetch reaches the fake over real HTTP and records what the SDK sent. */
export function fakeContext(
  settings: Record<string, unknown> = {},
  signal: AbortSignal = new AbortController().signal,
): { ctx: PluginContext<OpenAISettings>; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  return { ctx: { settings: fakeSettings(settings), fetch: recordingFetch(sent), clock: fakeClock(), signal }, sent };
}

/** The real fetch, recording into `sent` what the SDK sent (URL, headers, JSON body). */
export function recordingFetch(sent: SentRequest[]): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    sent.push({ url, headers: new Headers(init?.headers), body });
    return fetch(input, init);
  };
}

export interface Run {
  events: ChatStreamEvent[];
  error?: unknown;
  sent: SentRequest[];
}

/** Streams one chat to its end, collecting events and what it threw. */
export async function runChat(
  request: Partial<ChatRequest> & { messages: ChatMessage[] },
  options: { settings?: Record<string, unknown>; signal?: AbortSignal; tools?: ToolSpec[] } = {},
): Promise<Run> {
  const { ctx, sent } = fakeContext(options.settings, options.signal);
  const run: Run = { events: [], sent };
  const full: ChatRequest = { model: 'fake-echo', parameters: {}, ...request };
  try {
    for await (const event of openaiProvider.chat(ctx, full)) run.events.push(event);
  } catch (error) {
    run.error = error;
  }
  return run;
}

export const textOf = (events: readonly ChatStreamEvent[]): string =>
  events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');

/** A conversation no other test sends, so per-conversation state in the fake (429-once) is this test's own. */
export const uniqueQuestion = (topic: string): ChatMessage[] => [
  { role: 'user', content: `${topic} ${crypto.randomUUID()}` },
];
