import { ThinkingLevel } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { geminiParameters, modelFamily, toGenerationConfig } from './parameters.ts';

const accepts = (model: string, parameters: Record<string, unknown>) =>
  geminiParameters(model).safeParse(parameters).success;

describe('gemini parameters', () => {
  it('tells the model families apart', () => {
    expect(
      [
        'gemini-3-pro-preview',
        'gemini-3-flash-preview',
        'gemini-2.5-pro',
        'gemini-2.5-flash-lite',
        'models/gemini-2.5-flash',
        'gemini-2.0-flash',
        'gemma-3-27b-it',
      ].map(modelFamily),
    ).toEqual([
      'gemini-3-pro',
      'gemini-3-flash',
      'gemini-2.5-pro',
      'gemini-2.5-flash-lite',
      'gemini-2.5-flash',
      'other',
      'other',
    ]);
  });

  it('accepts the API ranges', () => {
    const full = { temperature: 2, topP: 1, maxTokens: 65_536, stopSequences: ['a', 'b', 'c', 'd', 'e'], seed: -5 };
    expect(accepts('gemini-2.5-flash', { ...full, thinkingBudget: 0 })).toBe(true);
    expect(accepts('gemini-2.5-flash', { temperature: 0, topP: 0, maxTokens: 1, thinkingBudget: -1 })).toBe(true);
    expect(accepts('gemini-2.5-pro', { thinkingBudget: 128 })).toBe(true);
    expect(accepts('gemini-2.5-flash-lite', { thinkingBudget: 512 })).toBe(true);
    expect(accepts('gemini-3-pro-preview', { thinkingLevel: 'high', temperature: 1 })).toBe(true);
    expect(accepts('gemini-3-flash-preview', { thinkingLevel: 'minimal' })).toBe(true);
    expect(accepts('gemini-2.0-flash', { maxTokens: 8_192 })).toBe(true);
  });

  it('rejects values outside the API ranges', () => {
    expect(accepts('gemini-2.5-flash', { temperature: 2.1 })).toBe(false);
    expect(accepts('gemini-2.5-flash', { temperature: -0.1 })).toBe(false);
    expect(accepts('gemini-2.5-flash', { topP: 1.01 })).toBe(false);
    expect(accepts('gemini-2.5-flash', { maxTokens: 65_537 })).toBe(false);
    expect(accepts('gemini-2.5-flash', { maxTokens: 0 })).toBe(false);
    expect(accepts('gemini-2.5-flash', { maxTokens: 1.5 })).toBe(false);
    expect(accepts('gemini-2.0-flash', { maxTokens: 8_193 })).toBe(false);
    expect(accepts('gemini-2.5-flash', { stopSequences: ['1', '2', '3', '4', '5', '6'] })).toBe(false);
    expect(accepts('gemini-2.5-flash', { thinkingBudget: 24_577 })).toBe(false);
  });

  it('gives each model only the thinking control it takes', () => {
    expect(accepts('gemini-2.5-pro', { thinkingBudget: 0 })).toBe(false); // 2.5 Pro cannot stop thinking
    expect(accepts('gemini-2.5-flash-lite', { thinkingBudget: 100 })).toBe(false);
    expect(accepts('gemini-3-pro-preview', { thinkingLevel: 'minimal' })).toBe(false);
    expect(accepts('gemini-3-pro-preview', { thinkingBudget: 1024 })).toBe(false);
    expect(accepts('gemini-2.5-flash', { thinkingLevel: 'low' })).toBe(false);
    expect(accepts('gemini-2.0-flash', { thinkingBudget: 0 })).toBe(false);
  });

  it('rejects the API field names, so only one spelling exists', () => {
    expect(accepts('gemini-2.5-flash', { maxOutputTokens: 100 })).toBe(false);
    expect(accepts('gemini-2.5-flash', { top_p: 0.5 })).toBe(false);
  });

  it('maps onto the SDK config, leaving out what is unset', () => {
    expect(toGenerationConfig({})).toEqual({});
    expect(toGenerationConfig({ temperature: 0.3, maxTokens: 10, stopSequences: ['x'], thinkingBudget: 0 })).toEqual({
      temperature: 0.3,
      maxOutputTokens: 10,
      stopSequences: ['x'],
      thinkingConfig: { thinkingBudget: 0 },
    });
    expect(toGenerationConfig({ topP: 0.9, seed: 3, thinkingLevel: 'medium' })).toEqual({
      topP: 0.9,
      seed: 3,
      thinkingConfig: { thinkingLevel: ThinkingLevel.MEDIUM },
    });
  });
});
