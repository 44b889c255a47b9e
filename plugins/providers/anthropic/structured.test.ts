import { describe, expect, it } from 'vitest';
import { validateJson } from '../../sdk/index.ts';
import { ANTHROPIC_DEFAULT_MODEL } from './index.ts';
import { AnthropicStreamMapper } from './stream-events.ts';
import { fakeApiUrl, fakeContext, ofType, run, text, user } from './testing.ts';

const schema = {
  type: 'object',
  properties: { route: { type: 'string', enum: ['billing', 'support'] }, reason: { type: 'string' } },
  required: ['route', 'reason'],
};
const responseFormat = { type: 'json_schema' as const, name: 'route choice', schema };

describe('anthropic structured output', () => {
  it('forces a tool whose input schema is the schema, and streams its input as the reply text', async () => {
    const ctx = fakeContext();
    const { events, error } = await run(ctx, {
      model: ANTHROPIC_DEFAULT_MODEL,
      messages: [user('Please help, this is about billing')],
      responseFormat,
    });
    expect(error).toBeUndefined();
    const body = ctx.sent[0]?.body;
    expect(body?.tool_choice).toEqual({ type: 'tool', name: 'route_choice' });
    expect(body?.tools).toEqual([
      { name: 'route_choice', description: expect.stringContaining('route choice'), input_schema: schema },
    ]);
    expect(ofType(events, 'tool-call')).toEqual([]);
    expect(ofType(events, 'text-delta').length).toBeGreaterThan(1);
    const answer = JSON.parse(text(events));
    expect(answer).toEqual({ route: 'billing', reason: 'text' });
    expect(validateJson(schema, answer).valid).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('keeps the chatbot tools beside the answer tool', async () => {
    const ctx = fakeContext();
    const tools = [{ name: 'clock', description: 'Time', parameters: { type: 'object', properties: {} } }];
    await run(ctx, { model: ANTHROPIC_DEFAULT_MODEL, messages: [user('hi')], tools, responseFormat });
    expect(((ctx.sent[0]?.body?.tools ?? []) as { name: string }[]).map((tool) => tool.name)).toEqual([
      'clock',
      'route_choice',
    ]);
  });

  it('the fake refuses a forced tool that is not offered, as the API does', async () => {
    const response = await fetch(`${fakeApiUrl()}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: ANTHROPIC_DEFAULT_MODEL,
        max_tokens: 100,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
        tool_choice: { type: 'tool', name: 'missing' },
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Tool 'missing' not found/);
  });

  it('sends an answer tool whose input arrived whole in its start block as one text delta', () => {
    const mapper = new AnthropicStreamMapper({ type: 'tool', name: 'answer' });
    const block = { type: 'tool_use', id: 'toolu_1', name: 'answer', input: { ok: true } } as const;
    const start = { type: 'content_block_start', index: 0, content_block: block } as never;
    expect(mapper.map(start)).toEqual([]);
    expect(mapper.map({ type: 'content_block_stop', index: 0 })).toEqual([{ type: 'text-delta', text: '{"ok":true}' }]);
  });
});
