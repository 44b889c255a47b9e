import { describe, expect, it } from 'vitest';
import { runProviderContract } from '../../sdk/contracts/provider.contract.ts';
import type { ChatMessage, ToolSpec } from '../../sdk/index.ts';
import { anthropicProvider } from './index.ts';
import { fakeContext, ofType, run, text, uniqueQuestion, user } from './testing.ts';

runProviderContract(anthropicProvider, {
  label: 'anthropic against the fake Claude API',
  context: ({ signal, clock }) => fakeContext({}, { signal, clock }),
  // The fake counts one word as one token, so three tokens is visibly shorter than the echoed question.
  truncation: { parameters: { maxTokens: 3 }, maxOutputTokens: 3 },
  deterministic: true,
  // The fake says which images it received.
  visionReply: /^I see 1 image \(image\/png\)\./,
});

const weather: ToolSpec = {
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, days: { type: 'integer' } },
    required: ['city'],
  },
};
const clock: ToolSpec = {
  name: 'get_time',
  description: 'Local time in a time zone',
  parameters: { type: 'object', properties: { zone: { type: 'string' } } },
};

describe('anthropic chat: streaming text', () => {
  it('streams the reply word by word, and the pieces join into the whole reply', async () => {
    const { events, error } = await run(fakeContext(), { messages: [user('The quick brown fox jumps')] });
    expect(error).toBeUndefined();
    expect(ofType(events, 'text-delta').map((event) => event.text)).toEqual([
      'The ',
      'quick ',
      'brown ',
      'fox ',
      'jumps',
    ]);
    expect(text(events)).toBe('The quick brown fox jumps');
  });

  it('sends what SDK 1.x sends: Bearer key, API version 2026-10-21, top-level system, default max_tokens', async () => {
    const ctx = fakeContext();
    await run(ctx, { model: 'claude-sonnet-5-5', system: 'Be brief.', messages: [user('Hi there')] });
    expect(ctx.sent).toHaveLength(1);
    const [sent] = ctx.sent;
    expect(sent?.method).toBe('POST');
    expect(sent?.url.pathname).toBe('/v1/messages');
    expect(sent?.headers.get('authorization')).toBe('Bearer test-key');
    expect(sent?.headers.get('anthropic-version')).toBe('2026-10-21');
    expect(sent?.body).toEqual({
      model: 'claude-sonnet-5-5',
      max_tokens: 4096,
      stream: true,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi there' }],
    });
  });

  it('passes maxTokens, stopSequences and effort as max_tokens, stop_sequences and output_config', async () => {
    const ctx = fakeContext();
    const parameters = { maxTokens: 50, stopSequences: ['END'], effort: 'low' };
    await run(ctx, { model: 'claude-opus-5-5', messages: [user('Hello')], parameters });
    expect(ctx.sent[0]?.body).toMatchObject({
      max_tokens: 50,
      stop_sequences: ['END'],
      output_config: { effort: 'low' },
    });
  });

  it('reports usage from message_delta (input: every prompt word; output: the words sent), then finishes', async () => {
    const { events } = await run(fakeContext(), { system: 'Answer in French.', messages: [user('one two three')] });
    // The fake's message_start says output_tokens 1; only the final message_delta count is right.
    expect(events.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 6, outputTokens: 3 },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('labels the reply with the provider, model and message id', async () => {
    const { events } = await run(fakeContext(), { model: 'claude-haiku-5-5', messages: [user('Hello')] });
    const [metadata] = ofType(events, 'metadata');
    expect(metadata?.metadata).toMatchObject({ provider: 'anthropic', model: 'claude-haiku-5-5' });
    expect(String(metadata?.metadata.messageId)).toMatch(/^msg_01\w{22}$/);
  });
});

describe('anthropic chat: finish reasons', () => {
  const finish = async (model: string, message: string, parameters: Record<string, unknown> = {}) => {
    const { events, error } = await run(fakeContext(), { model, messages: [user(message)], parameters });
    expect(error).toBeUndefined();
    return { events, reason: ofType(events, 'finish').map((event) => event.reason) };
  };

  it('maps end_turn to stop', async () => {
    expect((await finish('fake-echo', 'all done')).reason).toEqual(['stop']);
  });

  it('maps stop_sequence to stop, with the text cut before the sequence', async () => {
    const { events, reason } = await finish('fake-echo', 'alpha beta STOP gamma', { stopSequences: ['STOP'] });
    expect(reason).toEqual(['stop']);
    expect(text(events)).toBe('alpha beta ');
  });

  it('maps max_tokens to length when maxTokens cuts the reply', async () => {
    const { events, reason } = await finish('fake-echo', 'a b c d e f', { maxTokens: 2 });
    expect(reason).toEqual(['length']);
    expect(text(events)).toBe('a b ');
    expect(ofType(events, 'usage')[0]?.outputTokens).toBe(2);
  });

  it('maps max_tokens to length when the model stops on its own limit', async () => {
    const { events, reason } = await finish('fake-length', 'one two three four five');
    expect(reason).toEqual(['length']);
    expect(text(events)).toBe('one two three ');
  });

  it('maps refusal to content_filter', async () => {
    expect((await finish('fake-refusal', 'something harmful')).reason).toEqual(['content_filter']);
  });

  it('maps tool_use to tool_calls', async () => {
    const { events, error } = await run(fakeContext(), {
      model: 'fake-tool',
      messages: [user('Paris')],
      tools: [weather],
    });
    expect(error).toBeUndefined();
    expect(ofType(events, 'finish')).toEqual([{ type: 'finish', reason: 'tool_calls' }]);
  });
});

describe('anthropic chat: tools', () => {
  const question = 'What is the weather in Paris?';

  it('assembles each tool call from its input_json_delta fragments and emits it once, complete', async () => {
    const ctx = fakeContext();
    const { events } = await run(ctx, { model: 'fake-tool', messages: [user(question)], tools: [weather, clock] });
    const calls = ofType(events, 'tool-call').map((event) => event.call);
    expect(calls.map((call) => call.name)).toEqual(['get_weather', 'get_time']);
    for (const call of calls) expect(call.id).toMatch(/^toolu_01\w{22}$/);
    expect(new Set(calls.map((call) => call.id)).size).toBe(2);
    expect(JSON.parse(calls[0]?.arguments ?? '')).toEqual({ city: question, days: 42 });
    expect(JSON.parse(calls[1]?.arguments ?? '')).toEqual({ zone: question });
    // The text the model wrote before calling comes first; the calls follow it.
    expect(text(events)).toBe('Let me look that up.');
    expect(events.findIndex((event) => event.type === 'tool-call')).toBeGreaterThan(
      events.findLastIndex((event) => event.type === 'text-delta'),
    );
    expect(ctx.sent[0]?.body?.tools).toEqual([
      { name: 'get_weather', description: weather.description, input_schema: weather.parameters },
      { name: 'get_time', description: clock.description, input_schema: clock.parameters },
    ]);
  });

  it('sends tool results back as tool_result blocks the API pairs with its tool_use ids', async () => {
    const first = await run(fakeContext(), { model: 'fake-tool', messages: [user(question)], tools: [weather, clock] });
    const calls = ofType(first.events, 'tool-call').map((event) => event.call);
    const conversation: ChatMessage[] = [
      user(question),
      { role: 'assistant', content: text(first.events), toolCalls: calls },
      { role: 'tool', content: 'Sunny, 24 °C', toolCallId: calls[0]?.id ?? '' },
      { role: 'tool', content: '14:05', toolCallId: calls[1]?.id ?? '' },
    ];
    const ctx = fakeContext();
    const second = await run(ctx, { model: 'fake-tool', messages: conversation, tools: [weather, clock] });
    // The fake answers 400 unless every tool_use has its tool_result in the very next user turn.
    expect(second.error).toBeUndefined();
    expect(text(second.events)).toBe('Tool results: Sunny, 24 °C; 14:05');
    expect(ofType(second.events, 'finish')).toEqual([{ type: 'finish', reason: 'stop' }]);
    const sentMessages = ctx.sent[0]?.body?.messages as { role: string; content: unknown }[];
    expect(sentMessages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('surfaces the API rejection when a tool result answers no call', async () => {
    const conversation: ChatMessage[] = [
      user(uniqueQuestion('orphan')),
      { role: 'tool', content: 'stray', toolCallId: 'toolu_unknown' },
    ];
    const { error } = await run(fakeContext(), { model: 'fake-tool', messages: conversation });
    expect(String(error)).toContain('Claude API error 400 invalid_request_error: messages.0.content.0: unexpected');
  });
});

describe('anthropic models', () => {
  it('lists the API models sorted by name, marking deprecated ones and dropping retired ones', async () => {
    const ctx = fakeContext();
    const models = await anthropicProvider.models(ctx);
    expect(models).toEqual([
      { id: 'claude-haiku-4-5-20251001', displayName: 'Claude Haiku 4.5', contextWindow: 200_000 },
      { id: 'claude-haiku-5-5', displayName: 'Claude Haiku 5.5', contextWindow: 1_000_000 },
      { id: 'claude-opus-5-5', displayName: 'Claude Opus 5.5', contextWindow: 1_000_000 },
      { id: 'claude-sonnet-4-5-20250929', displayName: 'Claude Sonnet 4.5 (deprecated)', contextWindow: 200_000 },
      { id: 'claude-sonnet-5-5', displayName: 'Claude Sonnet 5.5', contextWindow: 1_000_000 },
    ]);
    expect(ctx.sent.map((sent) => `${sent.method} ${sent.url.pathname}?${sent.url.searchParams}`)).toEqual([
      'GET /v1/models?limit=1000',
    ]);
  });

  it('includes the default model', async () => {
    const ids = (await anthropicProvider.models(fakeContext())).map((model) => model.id);
    expect(ids).toContain(anthropicProvider.defaultModel);
  });
});
