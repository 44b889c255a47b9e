import { describe, expect, it } from 'vitest';
import { runProviderContract } from '../../sdk/contracts/provider.contract.ts';
import type { ChatStreamEvent } from '../../sdk/index.ts';
import { geminiProvider } from './index.ts';
import { deltasOf, runChat, testContext, textOf, user } from './testing.ts';

// The SDK reaches the fake over real HTTP from inside workerd, through testing.ts's recording `fetch`.
runProviderContract(geminiProvider, {
  context: ({ signal, clock }) => ({ ...testContext({ signal }), clock }),
  truncation: { parameters: { maxTokens: 3 }, maxOutputTokens: 3 },
  deterministic: true,
  // The fake says which images it received.
  visionReply: /^I see 1 image \(image\/png\)\./,
});

runProviderContract(geminiProvider, {
  label: 'gemini, Gemini 3 model',
  model: 'gemini-3-pro-preview',
  context: ({ signal, clock }) => ({ ...testContext({ signal }), clock }),
  truncation: { parameters: { maxTokens: 2, thinkingLevel: 'low' }, maxOutputTokens: 2 },
  deterministic: true,
});

const last = (events: ChatStreamEvent[], type: ChatStreamEvent['type']) =>
  events.findLast((event) => event.type === type);

describe('gemini chat: streaming', () => {
  it('streams the reply word by word, each word its own delta', async () => {
    const { events, error } = await runChat(testContext(), {
      model: 'fake-echo',
      messages: [user('Tell me about otters please')],
    });
    expect(error).toBeUndefined();
    expect(deltasOf(events)).toEqual(['Tell ', 'me ', 'about ', 'otters ', 'please']);
    expect(events[0]).toEqual({
      type: 'metadata',
      metadata: { provider: 'gemini', modelVersion: 'fake-echo', responseId: expect.any(String) },
    });
  });

  it('answers the last user message of a longer conversation', async () => {
    const messages = [
      user('first question'),
      { role: 'assistant' as const, content: 'first answer' },
      user('second one'),
    ];
    const { events } = await runChat(testContext(), { model: 'fake-echo', messages });
    expect(textOf(events)).toBe('second one');
  });

  it('reports usage from the last chunk (system prompt included), then finish stop', async () => {
    const { events } = await runChat(testContext(), {
      model: 'fake-echo',
      system: 'Be brief.',
      messages: [user('one two three')],
    });
    // The fake counts words: 2 in the system prompt + 3 in the message; 3 words out.
    expect(events.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 5, outputTokens: 3 },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('counts thinking tokens as output tokens', async () => {
    const { events } = await runChat(testContext(), { model: 'fake-thinking', messages: [user('think about it')] });
    expect(last(events, 'usage')).toEqual({ type: 'usage', inputTokens: 3, outputTokens: 3 + 17 });
  });

  it('maps MAX_TOKENS to length', async () => {
    const { events } = await runChat(testContext(), { model: 'fake-length', messages: [user('a b c d e f')] });
    expect(deltasOf(events)).toEqual(['a ', 'b ', 'c ']);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });

  it('honours maxTokens: the API stops there with MAX_TOKENS', async () => {
    const { events } = await runChat(testContext(), {
      model: 'gemini-2.5-flash',
      messages: [user('a b c d e f')],
      parameters: { maxTokens: 2 },
    });
    expect(textOf(events)).toBe('a b ');
    expect(events.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 6, outputTokens: 2 },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it('maps a SAFETY stop to content_filter and keeps the raw reason in metadata', async () => {
    const { events } = await runChat(testContext(), { model: 'fake-safety', messages: [user('something risky')] });
    expect(textOf(events)).toBe('I will ');
    expect(events).toContainEqual({ type: 'metadata', metadata: { geminiFinishReason: 'SAFETY' } });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'content_filter' });
  });

  it('maps a blocked prompt (promptFeedback, no candidates) to content_filter with no text', async () => {
    const { events, error } = await runChat(testContext(), {
      model: 'fake-blocked',
      messages: [user('blocked words')],
    });
    expect(error).toBeUndefined();
    expect(deltasOf(events)).toEqual([]);
    expect(events).toContainEqual({ type: 'metadata', metadata: { geminiFinishReason: 'PROMPT_BLOCKED_SAFETY' } });
    expect(events.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 2, outputTokens: 0 },
      { type: 'finish', reason: 'content_filter' },
    ]);
  });

  it('sends the documented request: path, key header, generation config, system instruction', async () => {
    const ctx = testContext();
    await runChat(ctx, {
      model: 'fake-echo',
      system: 'You are terse.',
      messages: [user('hi')],
      parameters: { temperature: 0.2, topP: 0.5, maxTokens: 100, stopSequences: ['END'], seed: 7 },
    });
    expect(ctx.sent).toHaveLength(1);
    const [request] = ctx.sent;
    expect(request?.method).toBe('POST');
    expect(`${request?.url.pathname}${request?.url.search}`).toBe(
      '/v1beta/models/fake-echo:streamGenerateContent?alt=sse',
    );
    expect(request?.headers.get('x-goog-api-key')).toBe('test-key');
    expect(request?.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
      systemInstruction: { parts: [{ text: 'You are terse.' }] },
      generationConfig: { temperature: 0.2, topP: 0.5, maxOutputTokens: 100, stopSequences: ['END'], seed: 7 },
    });
  });
});

describe('gemini chat: cancellation', () => {
  it('stops promptly when aborted mid-stream, though the server stalls for 10 s', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const run = await runChat(testContext({ signal: controller.signal }), {
      model: 'fake-stall',
      messages: [user('first then nothing for a while')],
      onEvent: (event) => {
        if (event.type === 'text-delta') controller.abort();
      },
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(run.error).toBeUndefined();
    expect(deltasOf(run.events)).toEqual(['first ']);
    expect(run.events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('stops promptly when aborted while waiting for the first chunk', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const run = await runChat(testContext({ signal: controller.signal }), {
      model: 'fake-slow',
      messages: [user('wait')],
    });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(run.error).toBeUndefined();
    expect(run.events).toEqual([]);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const ctx = testContext({ signal: controller.signal });
    const run = await runChat(ctx, { model: 'fake-echo', messages: [user('never sent')] });
    expect(run.events).toEqual([]);
    expect(ctx.sent).toEqual([]);
  });
});
