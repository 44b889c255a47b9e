import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { anthropicParameters, modelLimits } from './parameters.ts';

const accepts = (model: string, parameters: Record<string, unknown>) =>
  anthropicParameters(model).safeParse(parameters).success;

describe('anthropicParameters', () => {
  const models = [
    'claude-haiku-4-5',
    'claude-sonnet-4-5-20250929',
    'claude-opus-4-7',
    'claude-sonnet-5-5',
    'gateway-x',
  ];

  it.each(models)(
    '%s accepts no parameters and rejects temperature, top_p and top_k (removed in 2026-10-21)',
    (model) => {
      expect(accepts(model, {})).toBe(true);
      expect(accepts(model, { temperature: 1 })).toBe(false);
      expect(accepts(model, { topP: 0.9 })).toBe(false);
      expect(accepts(model, { topK: 40 })).toBe(false);
    },
  );

  it('caps maxTokens at each model family output limit', () => {
    expect(accepts('claude-haiku-4-5-20251001', { maxTokens: 64_000 })).toBe(true);
    expect(accepts('claude-haiku-4-5-20251001', { maxTokens: 64_001 })).toBe(false);
    expect(accepts('claude-sonnet-5-5', { maxTokens: 128_000 })).toBe(true);
    expect(accepts('claude-sonnet-5-5', { maxTokens: 128_001 })).toBe(false);
  });

  it('takes maxTokens only as a positive integer', () => {
    expect(accepts('claude-sonnet-5-5', { maxTokens: 1 })).toBe(true);
    expect(accepts('claude-sonnet-5-5', { maxTokens: 0 })).toBe(false);
    expect(accepts('claude-sonnet-5-5', { maxTokens: 10.5 })).toBe(false);
    expect(accepts('claude-sonnet-5-5', { maxTokens: '100' })).toBe(false);
  });

  it('offers effort only on models that take it, with the levels each one takes', () => {
    expect(accepts('claude-haiku-4-5', { effort: 'low' })).toBe(false);
    expect(accepts('claude-sonnet-4-5', { effort: 'low' })).toBe(false);
    expect(accepts('claude-opus-4-5', { effort: 'medium' })).toBe(true);
    expect(accepts('claude-opus-4-5', { effort: 'max' })).toBe(false);
    expect(accepts('claude-opus-4-6', { effort: 'max' })).toBe(true);
    expect(accepts('claude-opus-4-6', { effort: 'xhigh' })).toBe(false);
    expect(accepts('claude-opus-4-7', { effort: 'xhigh' })).toBe(true);
    expect(accepts('claude-sonnet-5-5', { effort: 'high' })).toBe(true);
    expect(accepts('claude-sonnet-5-5', { effort: 'extreme' })).toBe(false);
  });

  it('gives a model it does not know the widest documented output limit and no effort', () => {
    expect(accepts('my-gateway-model', { maxTokens: 128_000 })).toBe(true);
    expect(accepts('my-gateway-model', { effort: 'low' })).toBe(false);
    expect(modelLimits('my-gateway-model')).toEqual({ maxOutputTokens: 128_000, effort: [] });
  });

  it('reads a dated snapshot id like its alias', () => {
    expect(modelLimits('claude-opus-4-5-20251101')).toEqual(modelLimits('claude-opus-4-5'));
    expect(modelLimits('claude-opus-4-5').maxOutputTokens).toBe(64_000);
  });

  it('takes stop sequences that have some non-whitespace text', () => {
    expect(accepts('claude-sonnet-5-5', { stopSequences: ['END', '\n\nHuman:'] })).toBe(true);
    expect(accepts('claude-sonnet-5-5', { stopSequences: [' \n'] })).toBe(false);
    expect(accepts('claude-sonnet-5-5', { stopSequences: 'END' })).toBe(false);
  });

  it('publishes the per-model limits in the JSON Schema the dashboard renders', () => {
    const haiku = z.toJSONSchema(anthropicParameters('claude-haiku-4-5'), { io: 'input' });
    const opus = z.toJSONSchema(anthropicParameters('claude-opus-4-7'), { io: 'input' });
    expect(haiku.properties).not.toHaveProperty('effort');
    expect(haiku.properties?.maxTokens).toMatchObject({ type: 'integer', minimum: 1, maximum: 64_000 });
    expect(opus.properties?.effort).toMatchObject({ enum: ['low', 'medium', 'high', 'xhigh', 'max'] });
  });
});
