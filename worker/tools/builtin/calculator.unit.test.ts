import { describe, expect, it } from 'vitest';
import { evaluate, MAX_EXPRESSION_CHARS } from './calculator.ts';

const value = (src: string) => {
  const result = evaluate(src);
  if (!result.ok) throw new Error(`${src}: ${result.error}`);
  return result.value;
};
const error = (src: string) => {
  const result = evaluate(src);
  if (result.ok) throw new Error(`${src} evaluated to ${result.value}`);
  return result.error;
};

describe('calculator parser', () => {
  it('respects precedence and associativity', () => {
    expect(value('1 + 2 * 3')).toBe(7);
    expect(value('(1 + 2) * 3')).toBe(9);
    expect(value('10 - 4 - 3')).toBe(3);
    expect(value('100 / 10 / 5')).toBe(2);
    expect(value('2 ^ 3 ^ 2')).toBe(512);
    expect(value('7 % 4 * 2')).toBe(6);
    expect(value('2 * 3 ^ 2')).toBe(18);
  });

  it('handles unary minus, decimals and exponents in numbers', () => {
    expect(value('-3 + 5')).toBe(2);
    expect(value('--3')).toBe(3);
    expect(value('-2 ^ 2')).toBe(-4);
    expect(value('2 ^ -1')).toBe(0.5);
    expect(value('3 * -2')).toBe(-6);
    expect(value('0.1 + .2')).toBeCloseTo(0.3);
    expect(value('1.5e3 + 2E-1')).toBe(1500.2);
    expect(value('-0')).toBe(0);
  });

  it('has functions and constants', () => {
    expect(value('sqrt(16) + abs(-2)')).toBe(6);
    expect(value('round(2.345, 2)')).toBe(2.35);
    expect(value('round(2.5)')).toBe(3);
    expect(value('min(4, 2, 8) + max(1, 9)')).toBe(11);
    expect(value('floor(2.7) + ceil(2.1)')).toBe(5);
    expect(value('round(pi, 4)')).toBe(3.1416);
    expect(value('ln(e)')).toBe(1);
    expect(value('log10(1000)')).toBe(3);
    expect(value('SQRT(9)')).toBe(3);
  });

  it('gives clear errors', () => {
    expect(error('1 / 0')).toBe('division by zero');
    expect(error('5 % (2 - 2)')).toBe('division by zero');
    expect(error('10 ^ 400')).toBe('overflow: the result is too large');
    expect(error('1e308 * 10')).toBe('overflow: the result is too large');
    expect(error('sqrt(-1)')).toBe('sqrt of a negative number');
    expect(error('1 +')).toBe('unexpected end of expression');
    expect(error('(1 + 2')).toBe('missing ")" at position 7');
    expect(error('2 3')).toBe('unexpected "3" at position 3');
    expect(error('foo(1)')).toBe('unknown name "foo"');
    expect(error('sqrt 4')).toBe('sqrt needs arguments in parentheses');
    expect(error('sqrt(1, 2)')).toBe('sqrt takes 1 argument(s), got 2');
    expect(error('round(1, 0.5)')).toBe('round digits must be an integer from 0 to 15');
    expect(error('')).toBe('empty expression');
    expect(error('1 & 2')).toBe('unexpected "&" at position 3');
  });

  it('refuses code, long input and deep nesting', () => {
    expect(error('constructor')).toBe('unknown name "constructor"');
    expect(error('process.exit(1)')).toBe('unknown name "process"');
    expect(error(`1${'+1'.repeat(MAX_EXPRESSION_CHARS)}`)).toContain('longer than 500');
    expect(value(`1${'+1'.repeat(200)}`)).toBe(201);
    expect(error(`${'('.repeat(150)}1${')'.repeat(150)}`)).toContain('nested deeper');
    expect(error(`${'-'.repeat(200)}1`)).toContain('nested deeper');
  });
});
