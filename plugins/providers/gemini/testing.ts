/** Shared by the Gemini provider's tests: a context whose `fetch` reaches the fake Gemini API over real HTTP. */
import { inject } from 'vitest';
import type { ChatMessage, ChatRequest, ChatStreamEvent, PluginContext, ToolSpec } from '../../sdk/index.ts';
import { type FakeClock, fakeClock } from '../../sdk/testing/fakes.ts';
import { geminiProvider } from './index.ts';
import type { GeminiSettings } from './settings.ts';

/** The only key plugins/providers/gemini/fake/server.ts accepts. */
export const TEST_KEY = 'test-key';

export function fakeGeminiUrl(): string {
  const url = inject('fakeServers').gemini;
  if (!url) throw new Error('The fake Gemini server is not running (plugins/providers/gemini/fake/server.ts)');
  return url;
}

export function testSettings(overrides: Partial<GeminiSettings> = {}): GeminiSettings {
  return geminiProvider.settings.parse({ apiKey: TEST_KEY, baseUrl: fakeGeminiUrl(), ...overrides });
}

export interface SentRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

export interface TestContext extends PluginContext<GeminiSettings> {
  clock: FakeClock;
  /** Every HTTP request the SDK sent, with its JSON body parsed. */
  sent: SentRequest[];
}

export function testContext(
  options: { settings?: Partial<GeminiSettings>; signal?: AbortSignal; clock?: FakeClock } = {},
): TestContext {
  const sent: SentRequest[] = [];
  return {
    settings: testSettings(options.settings),
    clock: options.clock ?? fakeClock(),
    signal: options.signal ?? new AbortController().signal,
    sent,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
      sent.push({ method: request.method, url: new URL(request.url), headers: request.headers, body });
      return fetch(input, init);
    },
  };
}

export interface Run {
  events: ChatStreamEvent[];
  error?: unknown;
}

export interface ChatOptions {
  model: string;
  messages: ChatMessage[];
  system?: string;
  tools?: ToolSpec[];
  parameters?: Record<string, unknown>;
  responseFormat?: ChatRequest['responseFormat'];
  /** Called with each event as it arrives, e.g. to abort mid-stream. */
  onEvent?: (event: ChatStreamEvent) => void;
}

/** Runs one chat to its end, collecting events, and the error if it threw. */
export async function runChat(ctx: TestContext, options: ChatOptions): Promise<Run> {
  const request = {
    model: options.model,
    system: options.system,
    messages: options.messages,
    tools: options.tools,
    parameters: geminiProvider.parameters(options.model).parse(options.parameters ?? {}),
    ...(options.responseFormat && { responseFormat: options.responseFormat }),
  };
  const run: Run = { events: [] };
  try {
    for await (const event of geminiProvider.chat(ctx, request)) {
      run.events.push(event);
      options.onEvent?.(event);
    }
  } catch (error) {
    run.error = error;
  }
  return run;
}

export const textOf = (events: readonly ChatStreamEvent[]): string =>
  events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');

export const deltasOf = (events: readonly ChatStreamEvent[]): string[] =>
  events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []));

/** A word no other test uses, so the fake's per-conversation state is this test's alone. */
export const unique = (label: string): string => `${label}-${crypto.randomUUID()}`;

export const user = (content: string): ChatMessage => ({ role: 'user', content });
