import { APIError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { fakeServer } from '../../sdk/testing/fakes.ts';
import { AnthropicProviderError, readableError } from './errors.ts';
import { anthropicProvider } from './index.ts';
import { conversationState, fakeContext, ofType, run, text, uniqueQuestion, user } from './testing.ts';

const errorOf = async (model: string, settings: Parameters<typeof fakeContext>[0] = {}) => {
  const ctx = fakeContext(settings);
  const { events, error } = await run(ctx, { model, messages: [user(uniqueQuestion(model))] });
  return { ctx, events, error, message: error instanceof Error ? error.message : String(error) };
};

describe('anthropic retries (the SDK retries 429 and 5xx up to maxRetries)', () => {
  it('retries a 429 and then streams the reply', async () => {
    const question = uniqueQuestion('rate limited once');
    const ctx = fakeContext({ maxRetries: 1 });
    const { events, error } = await run(ctx, { model: 'fake-429-once', messages: [user(question)] });
    expect(error).toBeUndefined();
    expect(text(events)).toBe(question);
    expect(ctx.sent.map((sent) => sent.headers.get('x-stainless-retry-count'))).toEqual(['0', '1']);
    expect(await conversationState(question)).toMatchObject({ requests: 2 });
  });

  it('throws a readable 429 error at once when maxRetries is 0', async () => {
    const { ctx, events, error, message } = await errorOf('fake-429-once', { maxRetries: 0 });
    expect(error).toBeInstanceOf(AnthropicProviderError);
    expect((error as AnthropicProviderError).status).toBe(429);
    expect(message).toMatch(/^Claude API error 429 rate_limit_error: This request would exceed the rate limit/);
    expect(message).toContain('The account hit a rate or spend limit. Not retried (maxRetries is 0).');
    expect(message).toMatch(/Request id req_\w+\.$/);
    expect(message).not.toContain('{');
    expect(ctx.sent).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it('gives up on a 500 after maxRetries retries, saying so', async () => {
    const { ctx, message } = await errorOf('fake-500', { maxRetries: 1 });
    expect(ctx.sent).toHaveLength(2);
    expect(message).toMatch(/^Claude API error 500 api_error: Internal server error\. Gave up after 1 retry\./);
  });
});

describe('anthropic errors shown to admins', () => {
  it('does not retry a 400 and shows the API message', async () => {
    const { ctx, message } = await errorOf('fake-400', { maxRetries: 2 });
    expect(ctx.sent).toHaveLength(1);
    expect(message).toMatch(/^Claude API error 400 invalid_request_error: prompt is too long: 1000001 tokens > /);
    expect(message).not.toContain('retr');
  });

  it('explains a bad key (401) without ever repeating it', async () => {
    const badKey = 'sk-ant-api03-not-a-real-key-0123456789';
    const { ctx, message } = await errorOf('fake-echo', { apiKey: badKey });
    expect(ctx.sent).toHaveLength(1);
    expect(message).toMatch(/^Claude API error 401 authentication_error: invalid bearer token\./);
    expect(message).toContain('Check the API key in the provider settings.');
    expect(message).not.toContain(badKey);
    expect(message).not.toContain('not-a-real-key');
  });

  it('explains a bad key when listing models too', async () => {
    const badKey = 'sk-ant-api03-also-wrong';
    const error = await anthropicProvider.models(fakeContext({ apiKey: badKey })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AnthropicProviderError);
    expect(String(error)).toContain('Claude API error 401 authentication_error');
    expect(String(error)).not.toContain(badKey);
  });

  it('says which host it could not reach when the connection fails', async () => {
    // A fetch that fails as a refused connection does (a real refused socket makes workerd log an unhandled
    // rejection of its own, so this fails one step earlier).
    const refused: typeof fetch = async () => {
      throw new TypeError('Network connection lost.');
    };
    const ctx = { ...fakeContext({ baseUrl: 'https://claude.example.net', maxRetries: 0 }), fetch: refused };
    const { error } = await run(ctx, { messages: [user('Hi')] });
    expect(error).toBeInstanceOf(AnthropicProviderError);
    expect((error as Error).message).toBe(
      'Could not reach the Claude API at https://claude.example.net: Network connection lost. ' +
        'Not retried (maxRetries is 0).',
    );
  });

  it('names an unknown model (404) and suggests checking it', async () => {
    const { message } = await errorOf('claude-nonexistent-9');
    expect(message).toMatch(
      /^Claude API error 404 not_found_error: model: claude-nonexistent-9\. Check the model name/,
    );
  });

  it('removes the API key from any message that echoes it', async () => {
    const settings = anthropicProvider.settings.parse({ apiKey: 'sk-ant-secret-42' });
    const body = { type: 'error', error: { type: 'authentication_error', message: 'bad key sk-ant-secret-42 given' } };
    const error = await readableError(new APIError(401, body, undefined, new Headers()), settings);
    expect(error.message).toBe(
      'Claude API error 401 authentication_error: bad key [redacted API key] given. ' +
        'Check the API key in the provider settings.',
    );
  });

  it('reports an error event that arrives mid-stream, after the text already sent', async () => {
    const ctx = fakeContext();
    const { events, error } = await run(ctx, { model: 'fake-overloaded', messages: [user('one two three four')] });
    expect(text(events)).toBe('one two ');
    expect(ofType(events, 'finish')).toEqual([]);
    expect((error as Error).message).toMatch(/^Claude API error during the reply \(overloaded_error\): Overloaded\./);
  });

  it('refuses a stream that ends before message_stop instead of reporting a clean finish', async () => {
    const cut =
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"m",' +
      '"usage":{"input_tokens":1,"output_tokens":1}}}\n\nevent: content_block_delta\ndata: {"type":' +
      '"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hal"}}\n\n';
    const server = fakeServer(() => new Response(cut, { headers: { 'content-type': 'text/event-stream' } }));
    const { events, error } = await run({ ...fakeContext(), fetch: server.fetch }, { messages: [user('Hi')] });
    expect(text(events)).toBe('Hal');
    expect(String(error)).toContain('closed the stream before the reply was complete');
  });

  it('rejects parameters the model does not take before any request', async () => {
    const ctx = fakeContext();
    const { error } = await run(ctx, {
      model: 'claude-haiku-4-5',
      messages: [user('Hi')],
      parameters: { effort: 'max' },
    });
    expect(String(error)).toContain('Invalid parameters for claude-haiku-4-5');
    expect(ctx.sent).toEqual([]);
  });
});

describe('anthropic cancellation', () => {
  it('stops within moments when aborted mid-stream, and closes the HTTP stream', async () => {
    const question = uniqueQuestion('stall');
    const controller = new AbortController();
    const ctx = fakeContext({}, { signal: controller.signal });
    const events = [];
    const started = Date.now();
    // fake-stall sends one word and then nothing until the client disconnects (or 30 s pass).
    for await (const event of anthropicProvider.chat(ctx, {
      model: 'fake-stall',
      messages: [user(question)],
      parameters: {},
    })) {
      events.push(event);
      if (event.type === 'text-delta') setTimeout(() => controller.abort(), 50);
    }
    expect(Date.now() - started).toBeLessThan(2000);
    expect(events).toEqual([{ type: 'text-delta', text: `${question.split(' ')[0]} ` }]);
    await expect.poll(() => conversationState(question), { timeout: 2000 }).toMatchObject({ closedEarly: 1 });
  });

  it('stops within moments when aborted while waiting for the first frame', async () => {
    const question = uniqueQuestion('slow');
    const controller = new AbortController();
    const ctx = fakeContext({}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const { events, error } = await run(ctx, { model: 'fake-slow', messages: [user(question)] });
    // fake-slow holds its first frame for 2 s; ending well before that proves the wait was cut short.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(events).toEqual([]);
    expect(error).toBeUndefined();
    await expect.poll(() => conversationState(question), { timeout: 2000 }).toMatchObject({ closedEarly: 1 });
  });

  it('sends nothing at all when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const ctx = fakeContext({}, { signal: controller.signal });
    const { events, error } = await run(ctx, { messages: [user('Hi')] });
    expect([events, error, ctx.sent]).toEqual([[], undefined, []]);
  });
});
