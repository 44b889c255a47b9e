import { describe, expect, it } from 'vitest';
import { runProviderContract } from '../../sdk/contracts/provider.contract.ts';
import type { ChatMessage, ChatStreamEvent, Clock } from '../../sdk/index.ts';
import type { FakeClock } from '../../sdk/testing/fakes.ts';
import { fakeClock, noNetwork } from '../../sdk/testing/fakes.ts';
import { OFFLINE_MODEL, offlineProvider } from './index.ts';
import { offlineReply, tokenCount, tokenize } from './reply.ts';

const settings = (delayMs: number) => offlineProvider.settings.parse({ delayMs });

runProviderContract(offlineProvider, {
  label: 'offline, no delay',
  context: ({ signal, clock }) => ({ settings: settings(0), fetch: noNetwork, clock, signal }),
  truncation: { parameters: { maxTokens: 3 }, maxOutputTokens: 3 },
  deterministic: true,
});

// Paced like the demo: every token but the first waits on the clock, which the suite's fake clock makes instant.
runProviderContract(offlineProvider, {
  label: 'offline, paced at 20 ms',
  context: ({ signal, clock }) => ({ settings: settings(20), fetch: noNetwork, clock, signal }),
  truncation: { parameters: { maxTokens: 1 }, maxOutputTokens: 1 },
  deterministic: true,
});

const conversation: ChatMessage[] = [
  { role: 'user', content: 'What is the capital of France?' },
  { role: 'assistant', content: 'Offline reply.' },
  { role: 'user', content: '  And of Italy?  ' },
];

async function stream(
  options: { delayMs?: number; maxTokens?: number; clock?: Clock; signal?: AbortSignal; system?: string } = {},
): Promise<ChatStreamEvent[]> {
  const ctx = {
    settings: settings(options.delayMs ?? 0),
    fetch: noNetwork,
    clock: options.clock ?? fakeClock(),
    signal: options.signal ?? new AbortController().signal,
  };
  const parameters = options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens };
  const events: ChatStreamEvent[] = [];
  const request = { model: OFFLINE_MODEL, system: options.system, messages: conversation, parameters };
  for await (const event of offlineProvider.chat(ctx, request)) events.push(event);
  return events;
}

const deltas = (events: ChatStreamEvent[]) =>
  events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []));

describe('offline provider', () => {
  it('quotes the last user message, trimmed, and counts the turn', async () => {
    const text = deltas(await stream()).join('');
    expect(text).toBe(offlineReply(conversation));
    expect(text.startsWith('You said: “And of Italy?”.')).toBe(true);
    expect(text).toContain('(message 2 of this conversation)');
  });

  it('shortens a very long question to 600 characters with an ellipsis', () => {
    const reply = offlineReply([{ role: 'user', content: 'x'.repeat(700) }]);
    expect(reply).toContain(`“${'x'.repeat(599)}…”`);
    expect(offlineReply([{ role: 'user', content: 'y'.repeat(600) }])).toContain(`“${'y'.repeat(600)}”`);
  });

  it('says exactly how to get real answers: a seeded install ignores a key added to .dev.vars later', () => {
    const reply = offlineReply([{ role: 'user', content: 'Hi' }]);
    expect(reply).toContain('credential in the dashboard');
    expect(reply).toContain('`npm run reset && npm start`');
    expect(reply).not.toContain('and restart');
  });

  it('labels every reply as offline in metadata, before any text', async () => {
    const events = await stream();
    expect(events[0]).toEqual({ type: 'metadata', metadata: { offline: true, provider: 'offline' } });
  });

  it('streams the reply word by word, and the tokens join back into the whole reply', async () => {
    const tokens = deltas(await stream());
    expect(tokens).toEqual(tokenize(offlineReply(conversation)));
    expect(tokens.length).toBeGreaterThan(10);
    expect(tokens.join('')).toBe(offlineReply(conversation));
  });

  it('stops after maxTokens with finish reason length and matching usage', async () => {
    const events = await stream({ maxTokens: 4 });
    expect(deltas(events)).toEqual(tokenize(offlineReply(conversation)).slice(0, 4));
    expect(events.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 12, outputTokens: 4 },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it('finishes with stop when maxTokens is exactly the reply length', async () => {
    const events = await stream({ maxTokens: tokenize(offlineReply(conversation)).length });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('counts the system prompt in the input tokens', async () => {
    const usage = (await stream({ system: 'Be brief and kind.' })).find((event) => event.type === 'usage');
    expect(usage).toMatchObject({ inputTokens: 16 });
  });

  it('waits delayMs on the clock between tokens, cancellably', async () => {
    const clock = fakeClock();
    const tokens = deltas(await stream({ delayMs: 25, clock }));
    expect(clock.sleeps).toHaveLength(tokens.length - 1);
    expect(clock.sleeps.every((call) => call.ms === 25 && call.withSignal && call.outcome === 'resolved')).toBe(true);
  });

  it('does not touch the clock when delayMs is 0', async () => {
    const clock = fakeClock();
    await stream({ clock });
    expect(clock.sleeps).toEqual([]);
  });

  it('ends quietly, with no more text, when cancelled while waiting between tokens', async () => {
    const controller = new AbortController();
    const inner = fakeClock();
    // Cancels during the third pause, as a user pressing stop mid-answer would.
    const clock: FakeClock = {
      ...inner,
      sleep: async (ms, signal) => {
        if (inner.sleeps.length === 2) controller.abort();
        await inner.sleep(ms, signal);
      },
    };
    const events = await stream({ delayMs: 25, clock, signal: controller.signal });
    expect(deltas(events)).toEqual(tokenize(offlineReply(conversation)).slice(0, 3));
    expect(events.some((event) => event.type === 'finish')).toBe(false);
    expect(inner.sleeps.map((call) => call.outcome)).toEqual(['resolved', 'resolved', 'rejected']);
  });

  it('never uses the network', async () => {
    // noNetwork throws on any call, so a stray fetch would fail the stream above; this checks it also in models().
    const ctx = { settings: settings(0), fetch: noNetwork, clock: fakeClock(), signal: new AbortController().signal };
    const models = await offlineProvider.models(ctx);
    expect(models.map((model) => model.id)).toEqual([OFFLINE_MODEL]);
    expect(offlineProvider.capabilities.offline).toBe(true);
  });
});

describe('offline provider: structured output', () => {
  const ctx = () => ({
    settings: settings(0),
    fetch: noNetwork,
    clock: fakeClock(),
    signal: new AbortController().signal,
  });
  const schema = {
    type: 'object',
    properties: {
      route: { type: 'string', enum: ['sales', 'support', 'billing'] },
      name: { type: 'string' },
      age: { type: 'integer', minimum: 18 },
      subscribed: { type: 'boolean' },
    },
    required: ['route', 'name', 'age', 'subscribed'],
  };
  async function answer(text: string): Promise<unknown> {
    const request = {
      model: OFFLINE_MODEL,
      messages: [{ role: 'user' as const, content: text }],
      parameters: {},
      responseFormat: { type: 'json_schema' as const, name: 'answer', schema },
    };
    let reply = '';
    for await (const event of offlineProvider.chat(ctx(), request))
      if (event.type === 'text-delta') reply += event.text;
    return JSON.parse(reply);
  }

  it('answers JSON with every required property, an enum picking the value the user names', async () => {
    expect(await answer('I have a question about BILLING please')).toEqual({
      route: 'billing',
      name: 'text',
      age: 18,
      subscribed: false,
    });
  });

  it("takes an enum's first value when the user names none", async () => {
    expect(await answer('hello there')).toMatchObject({ route: 'sales' });
  });

  it('declares structured output', () => {
    expect(offlineProvider.capabilities.structuredOutput).toBe(true);
  });
});

describe('offline provider: token counts', () => {
  it('counts exactly the tokens tokenize makes, whitespace of every kind included', () => {
    const texts = [
      '',
      ' ',
      'one',
      '  leading and trailing  ',
      'tabs\tand\nnew\r\nlines\v\f',
      '\u00a0nbsp\u2003em\u3000ideographic\ufeffbom\u2028line\u202fnarrow',
      'x'.repeat(50),
      'You said: “a b c”. (message 3 of this conversation)',
      '\n\n',
    ];
    for (const text of texts) expect(tokenCount(text), JSON.stringify(text)).toBe(tokenize(text).length);
  });
});
