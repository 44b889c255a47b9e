import { describe, expect, it } from 'vitest';
import { validateJson } from '../../sdk/index.ts';
import { fakeClock } from '../../sdk/testing/fakes.ts';
import { openaiCompatibleProviders } from './presets/index.ts';
import { formatName, isStrictSchema } from './response-format.ts';
import { fakeBaseUrl, recordingFetch, runChat, type SentRequest, textOf } from './testing.ts';

const closed = {
  type: 'object',
  properties: {
    route: { type: 'string', enum: ['billing', 'support'] },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { sku: { type: 'string' } },
        required: ['sku'],
        additionalProperties: false,
      },
    },
  },
  required: ['route', 'items'],
  additionalProperties: false,
};
const open = {
  type: 'object',
  properties: { name: { type: 'string' }, email: { type: 'string' } },
  required: ['name'],
};

describe('openai structured output', () => {
  it('sends response_format json_schema, strict for a closed schema, and streams JSON that satisfies it', async () => {
    const { events, sent, error } = await runChat({
      messages: [{ role: 'user', content: 'A question about support, please' }],
      responseFormat: { type: 'json_schema', name: 'route choice', schema: closed },
    });
    expect(error).toBeUndefined();
    expect(sent[0]?.body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'route_choice', schema: closed, strict: true },
    });
    const answer = JSON.parse(textOf(events));
    expect(answer).toEqual({ route: 'support', items: [] });
    expect(validateJson(closed, answer).valid).toBe(true);
    expect(events.filter((event) => event.type === 'text-delta').length).toBeGreaterThan(1);
  });

  it('sends an open schema (optional fields, extra keys allowed) with strict false, which the API accepts', async () => {
    const { events, sent, error } = await runChat({
      messages: [{ role: 'user', content: 'I am Ada' }],
      responseFormat: { type: 'json_schema', name: 'person', schema: open },
    });
    expect(error).toBeUndefined();
    expect(sent[0]?.body.response_format).toMatchObject({ json_schema: { strict: false } });
    expect(JSON.parse(textOf(events))).toEqual({ name: 'text' });
  });

  it('the fake refuses strict mode on a schema strict mode cannot take, as the API does', async () => {
    const response = await fetch(`${fakeBaseUrl()}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-key', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        response_format: { type: 'json_schema', json_schema: { name: 'person', schema: open, strict: true } },
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; code: string } };
    expect(body.error.code).toBe('invalid_json_schema');
    expect(body.error.message).toMatch(/additionalProperties/);
  });

  it('names and strictness follow the API rules', () => {
    expect(formatName('extract: contact/info')).toBe('extract__contact_info');
    expect(formatName('x'.repeat(80))).toHaveLength(64);
    expect(isStrictSchema(closed)).toBe(true);
    expect(isStrictSchema(open)).toBe(false);
  });

  it('DeepSeek (JSON mode without schemas) declares no structured output and sends none', async () => {
    const deepseek = openaiCompatibleProviders.find((plugin) => plugin.id === 'deepseek');
    if (!deepseek) throw new Error('no deepseek preset');
    expect(deepseek.capabilities.structuredOutput).toBe(false);
    const sent: SentRequest[] = [];
    const origin = new URL(fakeBaseUrl()).origin;
    const settings = deepseek.settings.parse({
      apiKey: 'test-key',
      baseUrl: `${origin}/compat/deepseek/v1`,
      maxRetries: 0,
    });
    const ctx = { settings, fetch: recordingFetch(sent), clock: fakeClock(), signal: new AbortController().signal };
    const request = {
      model: 'deepseek-chat',
      messages: [{ role: 'user' as const, content: 'hi' }],
      parameters: {},
      responseFormat: { type: 'json_schema' as const, name: 'x', schema: open },
    };
    for await (const _ of deepseek.chat(ctx, request)) void _;
    expect(sent[0]?.body.response_format).toBeUndefined();
  });
});
