import { describe, expect, it } from 'vitest';
import { formatScore } from './score-format';

describe('formatScore', () => {
  it('keeps the digits that order each kind of score', () => {
    expect(formatScore(0.016393)).toBe('0.0164'); // RRF: 1 / (60 + 1)
    expect(formatScore(0.8123)).toBe('0.812'); // cosine
    expect(formatScore(-4.2071)).toBe('-4.21'); // −bm25 can be of any size and sign
    expect(formatScore(12.5)).toBe('12.50');
  });
});
