import { describe, expect, it } from 'vitest';
import { runProviderContract } from '../../sdk/contracts/provider.contract.ts';
import type { ChatMessage, ToolCall, ToolSpec } from '../../sdk/index.ts';
import { openaiProvider } from './index.ts';
import { fakeContext, runChat, textOf, uniqueQuestion } from './testing.ts';

// The SDK's own fetch path over real HTTP to the fake, through testing.ts's recording `fetch`.
runProviderContract(openaiProvider, {
  label: 'openai against the fake API, gpt-4o-mini',
  context: ({ signal, clock }) => ({ ...fakeContext({ maxRetries: 2 }, signal).ctx, clock }),
  truncation: { parameters: { maxTokens: 3 }, maxOutputTokens: 3 },
  deterministic: true,
  // The fake says which images it received.
  visionReply: /^I see 1 image \(image\/png\)\./,
});

// A reasoning model: another parameter schema and `max_completion_tokens` on the wire, which the fake enforces.
runProviderContract(openaiProvider, {
  label: 'openai against the fake API, o3-mini',
  model: 'o3-mini',
  context: ({ signal, clock }) => ({ ...fakeContext({}, signal).ctx, clock }),
  truncation: { parameters: { maxTokens: 2, reasoningEffort: 'low' }, maxOutputTokens: 2 },
  deterministic: true,
});

const question: ChatMessage[] = [{ role: 'user', content: 'The quick brown fox' }];

describe('openai chat: streaming', () => {
  it('streams the reply as text deltas, word by word, after a metadata event', async () => {
    const { events, error } = await runChat({ messages: question, system: 'Be brief.' });
    expect(error).toBeUndefined();
    expect(events[0]).toEqual({
      type: 'metadata',
      metadata: { provider: 'openai', model: 'fake-echo', systemFingerprint: 'fp_fake0001' },
    });
    const deltas = events.filter((event) => event.type === 'text-delta').map((event) => event.text);
    expect(deltas).toEqual(['The ', 'quick ', 'brown ', 'fox']);
  });

  it('reports usage from the last chunk, then finishes with stop', async () => {
    const { events } = await runChat({ messages: question, system: 'Be brief.' });
    // The fake counts words + 1 per message: system "Be brief." is 3, the user's 4 words are 5.
    expect(events.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 8, outputTokens: 4 },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('sends a streaming request with usage included, the system prompt first and mapped parameters', async () => {
    const parameters = { temperature: 0.3, topP: 0.9, maxTokens: 50, stop: ['END'], seed: 7, presencePenalty: 0.5 };
    const { sent } = await runChat({ messages: question, system: 'Be brief.', parameters });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions$/);
    expect(sent[0]?.headers.get('authorization')).toBe('Bearer test-key');
    expect(sent[0]?.body).toEqual({
      model: 'fake-echo',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'The quick brown fox' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.3,
      top_p: 0.9,
      presence_penalty: 0.5,
      stop: ['END'],
      seed: 7,
      // A compatible base URL (the fake) gets the widely supported `max_tokens`.
      max_tokens: 50,
    });
  });

  it('sends the organization header when one is set', async () => {
    const { sent, error } = await runChat({ messages: question }, { settings: { organization: 'org-test' } });
    expect(error).toBeUndefined();
    expect(sent[0]?.headers.get('openai-organization')).toBe('org-test');
  });

  it('maps the finish reasons length and content_filter', async () => {
    const length = await runChat({ model: 'fake-length', messages: question });
    expect(textOf(length.events)).toBe('The quick ');
    expect(length.events.at(-1)).toEqual({ type: 'finish', reason: 'length' });
    const filtered = await runChat({ model: 'fake-filter', messages: question });
    expect(textOf(filtered.events)).toBe('The ');
    expect(filtered.events.at(-1)).toEqual({ type: 'finish', reason: 'content_filter' });
  });

  it('stops at maxTokens with finish reason length', async () => {
    const { events } = await runChat({ model: 'gpt-4o-mini', messages: question, parameters: { maxTokens: 2 } });
    expect(textOf(events)).toBe('The quick ');
    expect(events.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 5, outputTokens: 2 },
      { type: 'finish', reason: 'length' },
    ]);
  });
});

const tools: ToolSpec[] = [
  {
    name: 'get_weather',
    description: 'Weather forecast for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } } },
  },
  {
    name: 'get_time',
    description: 'Time in a zone',
    parameters: { type: 'object', properties: { utc: { type: 'boolean' } } },
  },
];

describe('openai chat: tools', () => {
  const ask: ChatMessage[] = [{ role: 'user', content: 'Paris' }];

  it('assembles each tool call from its streamed fragments and emits it once, complete', async () => {
    const { events, error } = await runChat({ model: 'fake-tool', messages: ask, tools });
    expect(error).toBeUndefined();
    const calls = events.flatMap((event) => (event.type === 'tool-call' ? [event.call] : []));
    expect(calls.map((call) => call.name)).toEqual(['get_weather', 'get_time']);
    expect(JSON.parse(calls[0]?.arguments ?? '')).toEqual({ city: 'Paris', days: 42 });
    expect(JSON.parse(calls[1]?.arguments ?? '')).toEqual({ utc: true });
    expect(calls[0]?.id).toMatch(/^call_\w+0$/);
    expect(calls[1]?.id).toMatch(/^call_\w+1$/);
    expect(textOf(events)).toBe('');
    expect(events.map((event) => event.type).slice(-4)).toEqual(['tool-call', 'tool-call', 'usage', 'finish']);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('sends the tools as function tools', async () => {
    const { sent } = await runChat({ model: 'fake-tool', messages: ask, tools });
    expect(sent[0]?.body.tools).toEqual([
      {
        type: 'function',
        function: { name: 'get_weather', description: tools[0]?.description, parameters: tools[0]?.parameters },
      },
      {
        type: 'function',
        function: { name: 'get_time', description: tools[1]?.description, parameters: tools[1]?.parameters },
      },
    ]);
  });

  it('round-trips the tool results: the API accepts them and the model answers from them', async () => {
    const first = await runChat({ model: 'fake-tool', messages: ask, tools });
    const calls: ToolCall[] = first.events.flatMap((event) => (event.type === 'tool-call' ? [event.call] : []));
    const messages: ChatMessage[] = [
      ...ask,
      { role: 'assistant', content: '', toolCalls: calls },
      { role: 'tool', toolCallId: calls[0]?.id ?? '', content: 'Sunny, 21 °C' },
      { role: 'tool', toolCallId: calls[1]?.id ?? '', content: '12:00' },
    ];
    const second = await runChat({ model: 'fake-tool', messages, tools });
    expect(second.error).toBeUndefined();
    expect(textOf(second.events)).toBe('Tool get_time returned: 12:00');
    expect(second.events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    expect(second.sent[0]?.body.messages).toEqual([
      { role: 'user', content: 'Paris' },
      {
        role: 'assistant',
        content: null,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        })),
      },
      { role: 'tool', tool_call_id: calls[0]?.id, content: 'Sunny, 21 °C' },
      { role: 'tool', tool_call_id: calls[1]?.id, content: '12:00' },
    ]);
  });

  it('is refused by the API when a tool call has no result, with the API message', async () => {
    const calls: ToolCall[] = [{ id: 'call_lonely', name: 'get_time', arguments: '{}' }];
    const messages: ChatMessage[] = [...ask, { role: 'assistant', content: '', toolCalls: calls }];
    const { error } = await runChat({ model: 'fake-tool', messages, tools });
    expect(String(error)).toContain('did not have response messages: call_lonely');
  });
});

describe('openai chat: cancellation', () => {
  it('stops promptly when aborted mid-stream, while the server holds the rest back', async () => {
    const controller = new AbortController();
    const { ctx } = fakeContext({}, controller.signal);
    const events = [];
    const started = Date.now();
    for await (const event of openaiProvider.chat(ctx, { model: 'fake-stall', messages: question, parameters: {} })) {
      events.push(event);
      if (event.type === 'text-delta') controller.abort();
    }
    // The fake stalls for 30 s after the first word; ending well under a second means the abort cut the stream.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(events.map((event) => event.type)).toEqual(['metadata', 'text-delta']);
  });

  it('ends quietly, with no events, when aborted while waiting for the first frame', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const run = await runChat({ model: 'fake-slow', messages: uniqueQuestion('slow') }, { signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(run.error).toBeUndefined();
    expect(run.events).toEqual([]);
  });

  it('answers after the delay when not aborted', async () => {
    const started = Date.now();
    const run = await runChat({ model: 'fake-slow', messages: question });
    // fake-slow waits 2 s before its first frame.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(textOf(run.events)).toBe('The quick brown fox');
  });
});

describe('openai models', () => {
  it('lists the chat models, sorted, without embeddings, speech, images or moderation', async () => {
    const models = await openaiProvider.models(fakeContext().ctx);
    const ids = models.map((model) => model.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(
      expect.arrayContaining(['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-nano', 'o3-mini', 'gpt-5-mini', 'fake-echo']),
    );
    for (const excluded of ['text-embedding-3-small', 'whisper-1', 'tts-1', 'dall-e-3', 'omni-moderation-latest']) {
      expect(ids).not.toContain(excluded);
    }
    expect(ids).not.toContain('gpt-4o-realtime-preview');
  });

  it('adds the known context window, and none for models it does not know', async () => {
    const models = await openaiProvider.models(fakeContext().ctx);
    expect(models.find((model) => model.id === 'gpt-4o-mini')).toEqual({
      id: 'gpt-4o-mini',
      displayName: 'gpt-4o-mini',
      contextWindow: 128_000,
    });
    expect(models.find((model) => model.id === 'fake-echo')).toEqual({ id: 'fake-echo', displayName: 'fake-echo' });
  });

  it('fails with a readable error on a wrong key', async () => {
    const failure = openaiProvider.models(fakeContext({ apiKey: 'sk-wrong-models-key-98765' }).ctx);
    await expect(failure).rejects.toThrow(
      /^OpenAI-compatible API at 127\.0\.0\.1:\d+ error 401 invalid_api_key: Incorrect API key provided\. /,
    );
    await expect(failure).rejects.not.toThrow(/98765|sk-wrong/);
  });
});
