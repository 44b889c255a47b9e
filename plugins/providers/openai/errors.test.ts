import { describe, expect, it } from 'vitest';
import { OpenAIProviderError, redact } from './errors.ts';
import { runChat, textOf, uniqueQuestion } from './testing.ts';

const API = /^OpenAI-compatible API at 127\.0\.0\.1:\d+ error/;

describe('openai errors and retries, against the fake API', () => {
  it('retries a 429 (Retry-After: 0) and then streams the answer', async () => {
    const messages = uniqueQuestion('retry me');
    const run = await runChat({ model: 'fake-429-once', messages }, { settings: { maxRetries: 1 } });
    expect(run.error).toBeUndefined();
    expect(textOf(run.events)).toBe(messages[0]?.content);
    expect(run.sent).toHaveLength(2);
    // The SDK numbers its attempts; the second request is its first retry.
    expect(run.sent.map((request) => request.headers.get('x-stainless-retry-count'))).toEqual(['0', '1']);
  });

  it('throws a readable 429 error without retrying when maxRetries is 0', async () => {
    const run = await runChat(
      { model: 'fake-429-once', messages: uniqueQuestion('no retry') },
      { settings: { maxRetries: 0 } },
    );
    expect(run.sent).toHaveLength(1);
    expect(run.events).toEqual([]);
    expect(run.error).toBeInstanceOf(OpenAIProviderError);
    expect(run.error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect(String((run.error as Error).message)).toMatch(API);
    expect((run.error as Error).message).toContain(
      'error 429 rate_limit_exceeded, after 0 retries: Rate limit reached for fake-429-once',
    );
  });

  it('gives up after maxRetries on a persistent 429, naming the retries', async () => {
    const run = await runChat(
      { model: 'fake-429', messages: uniqueQuestion('always limited') },
      { settings: { maxRetries: 2 } },
    );
    expect(run.sent).toHaveLength(3);
    expect((run.error as Error).message).toContain('error 429 rate_limit_exceeded, after 2 retries:');
  });

  it('retries a 500 and reports the server message when retries run out', async () => {
    const run = await runChat(
      { model: 'fake-500', messages: uniqueQuestion('server down') },
      { settings: { maxRetries: 1 } },
    );
    expect(run.sent).toHaveLength(2);
    expect(run.error).toMatchObject({ status: 500 });
    expect((run.error as Error).message).toMatch(API);
    expect((run.error as Error).message).toContain(
      'error 500, after 1 retry: The server had an error while processing your request. Sorry about that!',
    );
  }, 10_000);

  it('does not retry a 400 and passes the API message through', async () => {
    const run = await runChat(
      { model: 'fake-400', messages: uniqueQuestion('too long') },
      { settings: { maxRetries: 2 } },
    );
    expect(run.sent).toHaveLength(1);
    expect(run.error).toMatchObject({ status: 400, code: 'context_length_exceeded' });
    expect((run.error as Error).message).toContain(
      "error 400 context_length_exceeded: This model's maximum context length is 128000 tokens. However, your " +
        'messages resulted in 130000 tokens.',
    );
  });

  it('reports parameters the model rejects in the API words (a reasoning model given a temperature)', async () => {
    // Bypasses the parameter schema on purpose, to check the fake's validation and the error path together.
    const run = await runChat({ model: 'o3-mini', messages: uniqueQuestion('hot'), parameters: { temperature: 0.5 } });
    expect(run.error).toMatchObject({ status: 400, code: 'unsupported_value' });
    expect((run.error as Error).message).toContain(
      "Unsupported value: 'temperature' does not support 0.5 with this model.",
    );
  });

  it('reports an unknown model as 404 model_not_found', async () => {
    const run = await runChat({ model: 'gpt-9-imaginary', messages: uniqueQuestion('who') });
    expect(run.error).toMatchObject({ status: 404, code: 'model_not_found' });
    expect((run.error as Error).message).toContain('The model `gpt-9-imaginary` does not exist');
  });

  it('turns a wrong long key into a readable 401 that quotes no part of the key', async () => {
    const apiKey = 'sk-proj-Secret0123456789abcdefWXYZ';
    const run = await runChat({ messages: uniqueQuestion('key') }, { settings: { apiKey, maxRetries: 2 } });
    expect(run.sent).toHaveLength(1);
    const message = (run.error as Error).message;
    expect(message).toMatch(API);
    expect(message).toContain('error 401 invalid_api_key: Incorrect API key provided. You can find your API key at');
    for (const fragment of [apiKey, 'sk-proj-', 'WXYZ', '***']) expect(message).not.toContain(fragment);
  });

  it('does not leak a short wrong key, which the API quotes back in full', async () => {
    const run = await runChat({ messages: uniqueQuestion('key') }, { settings: { apiKey: 'wrong-key' } });
    expect((run.error as Error).message).toContain('401 invalid_api_key');
    expect((run.error as Error).message).not.toContain('wrong-key');
  });

  it('sends no Authorization header when the key is empty (local servers), and says the key is missing', async () => {
    const run = await runChat({ messages: uniqueQuestion('no key') }, { settings: { apiKey: '' } });
    expect(run.sent[0]?.headers.has('authorization')).toBe(false);
    expect(run.error).toMatchObject({ status: 401 });
    expect((run.error as Error).message).toContain("error 401: You didn't provide an API key.");
  });

  it('reports a wrong organization', async () => {
    const run = await runChat({ messages: uniqueQuestion('org') }, { settings: { organization: 'org-other' } });
    expect(run.error).toMatchObject({ status: 401, code: 'mismatched_organization' });
  });

  it('throws the error the API sends mid-stream, after the text that came before it', async () => {
    const run = await runChat({ model: 'fake-stream-error', messages: [{ role: 'user', content: 'Hello there' }] });
    expect(textOf(run.events)).toBe('Hello ');
    expect(run.events.some((event) => event.type === 'finish')).toBe(false);
    expect(run.error).toBeInstanceOf(OpenAIProviderError);
    expect((run.error as Error).message).toMatch(
      /^OpenAI-compatible API at 127\.0\.0\.1:\d+ stream error: The server had an error while processing your request/,
    );
  });

  it('throws when the server hangs up before the reply finished', async () => {
    const run = await runChat({ model: 'fake-cut', messages: [{ role: 'user', content: 'Hello there' }] });
    expect(textOf(run.events)).toBe('Hello ');
    expect((run.error as Error).message).toMatch(/call failed: the stream ended before the reply finished$/);
  });

  // workerd logs its own "connect(): Connection refused" trace for this one; the test still passes.
  it('says which server it could not reach when the connection fails', async () => {
    const settings = { baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'sk-unreachable-key-000' };
    const run = await runChat({ messages: uniqueQuestion('offline') }, { settings });
    expect(run.error).toBeInstanceOf(OpenAIProviderError);
    expect((run.error as Error).message).toMatch(
      /^Could not reach OpenAI-compatible API at 127\.0\.0\.1:1 \(Connection error/,
    );
    expect((run.error as Error).message).not.toContain('sk-unreachable-key-000');
  });
});

describe('redact', () => {
  it('drops the quoted key fragment and every copy of the key', () => {
    const key = 'sk-abcdef0123456789';
    const text = `401 Incorrect API key provided: sk-abcde*****6789. You can find it. Also ${key} and ${key}.`;
    expect(redact(text, key)).toBe('401 Incorrect API key provided. You can find it. Also [redacted] and [redacted].');
  });

  it('leaves messages without a key alone, and does not scrub tiny placeholder keys', () => {
    expect(redact('Rate limit reached for gpt-4o.', 'sk-abcdef0123456789')).toBe('Rate limit reached for gpt-4o.');
    expect(redact('a model is a thing', 'a')).toBe('a model is a thing');
  });
});
