import { describe, expect, it } from 'vitest';
import { openaiParameters } from './parameters.ts';
import { openaiSettings } from './settings.ts';

const accepts = (model: string, values: Record<string, unknown>) => openaiParameters(model).safeParse(values).success;

describe('openaiParameters', () => {
  it('accepts the Chat Completions ranges for a GPT model', () => {
    expect(accepts('gpt-4o-mini', { temperature: 0, topP: 1, frequencyPenalty: -2, presencePenalty: 2 })).toBe(true);
    expect(accepts('gpt-4o-mini', { temperature: 2, maxTokens: 16_384, stop: ['END', 'STOP'], seed: 3 })).toBe(true);
    expect(accepts('gpt-4o-mini', { stop: 'END' })).toBe(true);
  });

  it('rejects values outside the API ranges', () => {
    expect(accepts('gpt-4o-mini', { temperature: 2.1 })).toBe(false);
    expect(accepts('gpt-4o-mini', { temperature: -0.1 })).toBe(false);
    expect(accepts('gpt-4o-mini', { topP: 1.5 })).toBe(false);
    expect(accepts('gpt-4o-mini', { presencePenalty: -2.5 })).toBe(false);
    expect(accepts('gpt-4o-mini', { maxTokens: 0 })).toBe(false);
    expect(accepts('gpt-4o-mini', { maxTokens: 1.5 })).toBe(false);
    expect(accepts('gpt-4o-mini', { stop: ['a', 'b', 'c', 'd', 'e'] })).toBe(false);
    expect(accepts('gpt-4o-mini', { stop: [] })).toBe(false);
  });

  it('caps maxTokens at the model output limit, snapshots included', () => {
    expect(accepts('gpt-4o-mini', { maxTokens: 16_385 })).toBe(false);
    expect(accepts('gpt-4o-mini-2024-07-18', { maxTokens: 16_385 })).toBe(false);
    expect(accepts('gpt-4.1', { maxTokens: 32_768 })).toBe(true);
    expect(accepts('gpt-4.1', { maxTokens: 32_769 })).toBe(false);
  });

  it('offers reasoning effort only to reasoning models', () => {
    expect(accepts('gpt-4o', { reasoningEffort: 'low' })).toBe(false);
    expect(accepts('o3-mini', { reasoningEffort: 'high', maxTokens: 100_000 })).toBe(true);
    expect(accepts('o3-mini', { reasoningEffort: 'extreme' })).toBe(false);
  });

  it('gives reasoning models no sampling parameters, which the API rejects', () => {
    for (const model of ['o1', 'o3-mini', 'o4-mini-2025-04-16', 'gpt-5', 'gpt-5-mini', 'openai/o3']) {
      expect(accepts(model, { temperature: 0.5 }), model).toBe(false);
      expect(accepts(model, { topP: 0.9 }), model).toBe(false);
      expect(accepts(model, { stop: 'END' }), model).toBe(false);
      expect(accepts(model, { maxTokens: 1_000 }), model).toBe(true);
    }
  });

  it('knows gpt-5 added the minimal effort, and that gpt-5-chat is not a reasoning model', () => {
    expect(accepts('gpt-5-mini', { reasoningEffort: 'minimal' })).toBe(true);
    expect(accepts('o3', { reasoningEffort: 'minimal' })).toBe(false);
    expect(accepts('gpt-5-chat-latest', { temperature: 0.7 })).toBe(true);
  });

  it('treats newer o-series and gpt-5.x ids it does not list as reasoning models', () => {
    expect(accepts('o5-mini', { temperature: 0.7 })).toBe(false);
    expect(accepts('gpt-5.1', { temperature: 0.7 })).toBe(false);
  });

  it('gives models of compatible servers the common parameters without an output cap', () => {
    expect(accepts('llama3.2:latest', { temperature: 1.2, maxTokens: 500_000 })).toBe(true);
    expect(accepts('deepseek-chat', { temperature: 3 })).toBe(false);
  });

  it('rejects unknown keys', () => {
    expect(accepts('gpt-4o', { max_tokens: 10 })).toBe(false);
    expect(accepts('o3', { temperature: undefined, foo: 1 })).toBe(false);
  });
});

describe('openaiSettings', () => {
  it('defaults to the official API and 2 retries', () => {
    expect(openaiSettings.parse({ apiKey: 'sk-x' })).toEqual({
      apiKey: 'sk-x',
      baseUrl: 'https://api.openai.com/v1',
      maxRetries: 2,
    });
  });

  it('requires a key for api.openai.com but not for a local server', () => {
    const missing = openaiSettings.safeParse({});
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['apiKey']);
    expect(openaiSettings.safeParse({ apiKey: '  ' }).success).toBe(false);
    expect(openaiSettings.safeParse({ baseUrl: 'http://localhost:11434/v1' }).success).toBe(true);
  });

  it('bounds maxRetries to 0–5 and accepts only http(s) URLs', () => {
    expect(openaiSettings.safeParse({ apiKey: 'k', maxRetries: 5 }).success).toBe(true);
    expect(openaiSettings.safeParse({ apiKey: 'k', maxRetries: 6 }).success).toBe(false);
    expect(openaiSettings.safeParse({ apiKey: 'k', maxRetries: -1 }).success).toBe(false);
    expect(openaiSettings.safeParse({ apiKey: 'k', maxRetries: 1.5 }).success).toBe(false);
    expect(openaiSettings.safeParse({ apiKey: 'k', baseUrl: 'ftp://example.com' }).success).toBe(false);
    expect(openaiSettings.safeParse({ apiKey: 'k', baseUrl: 'not a url' }).success).toBe(false);
  });
});
