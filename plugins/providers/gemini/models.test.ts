import { describe, expect, it } from 'vitest';
import { GeminiError } from './errors.ts';
import { geminiProvider } from './index.ts';
import { testContext } from './testing.ts';

describe('gemini models', () => {
  it('lists only chat models, by id, with names and context windows', async () => {
    const ctx = testContext();
    const models = await geminiProvider.models(ctx);
    expect(models.map((model) => model.id)).toEqual([
      'gemini-2.0-flash',
      'gemini-2.5-flash',
      'gemini-2.5-flash-lite',
      'gemini-2.5-pro',
      'gemini-3-pro-preview',
      'gemma-3-27b-it',
    ]);
    expect(models[1]).toEqual({ id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', contextWindow: 1_048_576 });
    expect(models.at(-1)?.contextWindow).toBe(131_072);
    expect(`${ctx.sent[0]?.url.pathname}${ctx.sent[0]?.url.search}`).toBe('/v1beta/models?pageSize=1000');
    expect(ctx.sent[0]?.headers.get('x-goog-api-key')).toBe('test-key');
  });

  it('throws a readable error for a wrong key, without the key', async () => {
    const key = 'AIzaSyD-wrongWRONGwrong0123456789abcde';
    const error = await geminiProvider
      .models(testContext({ settings: { apiKey: key } }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GeminiError);
    expect((error as Error).message).toMatch(/^Gemini API error 400 INVALID_ARGUMENT: API key not valid\./);
    expect((error as Error).message).not.toContain(key);
  });
});
