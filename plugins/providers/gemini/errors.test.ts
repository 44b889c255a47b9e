import { ApiError } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { GeminiError, readableError, redact } from './errors.ts';
import type { GeminiSettings } from './settings.ts';
import { runChat, testContext, textOf, unique, user } from './testing.ts';

// Shaped like a real key (AIza + 35 characters), so a leak would be obvious.
const WRONG_KEY = 'AIzaSyD-wrongWRONGwrong0123456789abcde';

async function failing(model: string, settings: Partial<GeminiSettings> = {}) {
  const ctx = testContext({ settings });
  const run = await runChat(ctx, { model, messages: [user(unique('question'))] });
  expect(run.error).toBeInstanceOf(GeminiError);
  return { ctx, error: run.error as GeminiError, events: run.events };
}

describe('gemini retries', () => {
  it('retries a 429 after the Retry-After wait, then streams the answer', async () => {
    const ctx = testContext({ settings: { maxRetries: 1 } });
    const message = unique('retry me');
    const run = await runChat(ctx, { model: 'fake-429-once', messages: [user(message)] });
    expect(run.error).toBeUndefined();
    expect(textOf(run.events)).toBe(message);
    expect(ctx.sent).toHaveLength(2);
    expect(ctx.clock.sleeps).toEqual([{ ms: 0, withSignal: true, outcome: 'resolved' }]);
  });

  it('waits the RetryInfo delay from the error body when there is no Retry-After header', async () => {
    const ctx = testContext({ settings: { maxRetries: 2 } });
    const run = await runChat(ctx, { model: 'fake-429-retryinfo', messages: [user(unique('retry info'))] });
    expect(run.error).toBeUndefined();
    expect(ctx.clock.sleeps.map((sleep) => sleep.ms)).toEqual([2_000]);
  });

  it('throws a readable 429 at once with maxRetries 0', async () => {
    const { ctx, error } = await failing('fake-429', { maxRetries: 0 });
    expect(error.message).toMatch(/^Gemini API error 429 RESOURCE_EXHAUSTED: You exceeded your current quota/);
    expect(error.message).not.toContain('{');
    expect(error.status).toBe(429);
    expect(ctx.sent).toHaveLength(1);
    expect(ctx.clock.sleeps).toEqual([]);
  });

  it('gives up after maxRetries and says so', async () => {
    const { ctx, error } = await failing('fake-429', { maxRetries: 2 });
    expect(ctx.sent).toHaveLength(3);
    expect(error.message).toMatch(/\(gave up after 2 retries\)$/);
  });

  it('backs off exponentially on a 500 that names no wait', async () => {
    const { ctx, error } = await failing('fake-500', { maxRetries: 2 });
    expect(error.message).toMatch(/^Gemini API error 500 INTERNAL: An internal error has occurred/);
    const [first, second] = ctx.clock.sleeps.map((sleep) => sleep.ms);
    // Equal jitter: between half and all of 1 s, then of 2 s.
    expect(first).toBeGreaterThanOrEqual(500);
    expect(first).toBeLessThanOrEqual(1_000);
    expect(second).toBeGreaterThanOrEqual(1_000);
    expect(second).toBeLessThanOrEqual(2_000);
  });

  it('does not wait an hour when the API asks to: it fails at once and says why', async () => {
    const { ctx, error } = await failing('fake-429-long', { maxRetries: 3 });
    expect(ctx.sent).toHaveLength(1);
    expect(ctx.clock.sleeps).toEqual([]);
    expect(error.message).toContain('The API asked to wait 3600 s before retrying, too long for a reply.');
  });

  it('stops waiting between attempts when the signal aborts', async () => {
    const controller = new AbortController();
    const ctx = testContext({ settings: { maxRetries: 3 }, signal: controller.signal });
    const clock = ctx.clock;
    // The user presses stop while Parley waits to retry.
    ctx.clock = {
      ...clock,
      sleep: async (ms, signal) => {
        controller.abort();
        await clock.sleep(ms, signal);
      },
    };
    const run = await runChat(ctx, { model: 'fake-500', messages: [user(unique('cancel'))] });
    expect(run.error).toBeUndefined();
    expect(ctx.sent).toHaveLength(1);
    expect(clock.sleeps.map((sleep) => sleep.outcome)).toEqual(['rejected']);
  });
});

describe('gemini errors', () => {
  it('does not retry a 400 for a wrong key, and never shows the key', async () => {
    const { ctx, error } = await failing('fake-echo', { apiKey: WRONG_KEY });
    expect(error.message).toBe(
      'Gemini API error 400 INVALID_ARGUMENT: API key not valid. Please pass a valid API key.' +
        ' Check the API key in the Gemini provider settings.',
    );
    expect(error.message).not.toContain(WRONG_KEY);
    expect(ctx.sent).toHaveLength(1);
  });

  it('reads a 401 UNAUTHENTICATED', async () => {
    const { error } = await failing('fake-401');
    expect(error.status).toBe(401);
    expect(error.message).toMatch(
      /^Gemini API error 401 UNAUTHENTICATED: Request had invalid authentication credentials\./,
    );
    expect(error.message).toMatch(/Check the API key in the Gemini provider settings\.$/);
  });

  it('reads a 400 INVALID_ARGUMENT', async () => {
    const { error, ctx } = await failing('fake-400');
    expect(error.message).toBe('Gemini API error 400 INVALID_ARGUMENT: Request contains an invalid argument.');
    expect(ctx.sent).toHaveLength(1);
  });

  it('reads a 404 for an unknown model and points at the model name', async () => {
    const { error } = await failing('gemini-0.1-nonexistent');
    expect(error.message).toMatch(/^Gemini API error 404 NOT_FOUND: models\/gemini-0.1-nonexistent is not found/);
    expect(error.message).toContain('Check the model name');
  });

  it('names a network failure without the key', async () => {
    const ctx = testContext({ settings: { apiKey: WRONG_KEY } });
    ctx.fetch = async () => {
      throw new TypeError(`connect ECONNREFUSED (key=${WRONG_KEY})`);
    };
    const { error } = await runChat(ctx, { model: 'fake-echo', messages: [user('hello')] });
    expect((error as Error).message).toBe('Gemini request failed: connect ECONNREFUSED (key=[redacted])');
  });

  it('redacts the key wherever the SDK message carries it', async () => {
    const apiError = new ApiError({
      message: `{"error":{"code":400,"message":"bad ${WRONG_KEY}","status":"X"}}`,
      status: 400,
    });
    const error = await readableError(apiError, WRONG_KEY, { retries: 0 });
    expect(error.message).toBe('Gemini API error 400 X: bad [redacted]');
    expect(redact(`https://x/?alt=sse&key=secret-value&y=1`, 'unrelated')).toBe(
      'https://x/?alt=sse&key=[redacted]&y=1',
    );
  });

  it('reads an error sent inside the stream', async () => {
    const message =
      'got status: UNAVAILABLE. {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}';
    const error = await readableError(new ApiError({ message, status: 503 }), 'k', { retries: 1 });
    expect(error.message).toBe('Gemini API error 503 UNAVAILABLE: The model is overloaded. (gave up after 1 retry)');
  });
});
