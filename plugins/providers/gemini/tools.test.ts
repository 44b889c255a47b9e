import { describe, expect, it } from 'vitest';
import type { ChatMessage, ToolCall, ToolSpec } from '../../sdk/index.ts';
import { SKIP_THOUGHT_SIGNATURE } from './messages.ts';
import { runChat, testContext, textOf, unique, user } from './testing.ts';

const TOOLS: ToolSpec[] = [
  {
    name: 'get_weather',
    description: 'Current weather in a city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['city'],
    },
  },
  {
    name: 'get_time',
    description: 'Current time in a time zone.',
    parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] },
  },
];

const callsOf = (events: { type: string; call?: ToolCall }[]): ToolCall[] =>
  events.flatMap((event) => (event.type === 'tool-call' && event.call ? [event.call] : []));

describe('gemini chat: tools', () => {
  it('emits each function call whole, with arguments as JSON, then finish tool_calls', async () => {
    const ctx = testContext();
    const { events, error } = await runChat(ctx, { model: 'fake-tool', messages: [user('Paris')], tools: TOOLS });
    expect(error).toBeUndefined();
    const calls = callsOf(events);
    expect(calls.map((call) => call.name)).toEqual(['get_weather', 'get_time']);
    expect(JSON.parse(calls[0]?.arguments ?? '')).toEqual({ city: 'Paris', unit: 'celsius' });
    expect(JSON.parse(calls[1]?.arguments ?? '')).toEqual({ zone: 'Paris' });
    // Gemini sends no call ids: Parley makes distinct ones from the response id.
    expect(calls[0]?.id).toMatch(/^gemini-call-.+-0$/);
    expect(calls[1]?.id).toMatch(/^gemini-call-.+-1$/);
    expect(textOf(events)).toBe('');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
    expect(events.findIndex((event) => event.type === 'tool-call')).toBeLessThan(events.length - 1);
    // Declared as JSON Schema, unchanged.
    expect(ctx.sent[0]?.body).toMatchObject({
      tools: [
        {
          functionDeclarations: TOOLS.map(({ name, description, parameters }) => ({
            name,
            description,
            parametersJsonSchema: parameters,
          })),
        },
      ],
    });
  });

  it('sends tool results back as functionResponse parts and gets the final answer', async () => {
    const first = await runChat(testContext(), { model: 'fake-tool', messages: [user('Rome')], tools: TOOLS });
    const calls = callsOf(first.events);
    expect(calls).toHaveLength(2);
    const [weather, time] = calls as [ToolCall, ToolCall];
    const conversation: ChatMessage[] = [
      user('Rome'),
      { role: 'assistant', content: '', toolCalls: calls },
      { role: 'tool', toolCallId: weather.id, content: '{"temperature":21,"sky":"clear"}' },
      { role: 'tool', toolCallId: time.id, content: '12:00' },
    ];
    const ctx = testContext();
    const second = await runChat(ctx, { model: 'fake-tool', messages: conversation, tools: TOOLS });
    expect(second.error).toBeUndefined();
    expect(textOf(second.events)).toBe(
      'get_weather returned {"output":{"temperature":21,"sky":"clear"}}. get_time returned {"output":"12:00"}.',
    );
    expect(second.events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    expect(ctx.sent[0]?.body).toMatchObject({
      contents: [
        { role: 'user', parts: [{ text: 'Rome' }] },
        {
          role: 'model',
          parts: [
            {
              functionCall: { name: 'get_weather', args: { city: 'Rome', unit: 'celsius' } },
              thoughtSignature: SKIP_THOUGHT_SIGNATURE,
            },
            { functionCall: { name: 'get_time', args: { zone: 'Rome' } }, thoughtSignature: SKIP_THOUGHT_SIGNATURE },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { output: { temperature: 21, sky: 'clear' } } } },
            { functionResponse: { name: 'get_time', response: { output: '12:00' } } },
          ],
        },
      ],
    });
  });

  it('gives different ids to the calls of different responses', async () => {
    const a = callsOf(
      (await runChat(testContext(), { model: 'fake-tool', messages: [user(unique('a'))], tools: TOOLS })).events,
    );
    const b = callsOf(
      (await runChat(testContext(), { model: 'fake-tool', messages: [user(unique('b'))], tools: TOOLS })).events,
    );
    expect(a[0]?.id).not.toBe(b[0]?.id);
  });
});
