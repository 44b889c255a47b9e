import { describe, expect, it } from 'vitest';
import { formatRelative } from './format';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const at = (offsetSeconds: number) => new Date(NOW + offsetSeconds * 1000).toISOString();

describe('formatRelative', () => {
  it('says how long ago a recent moment was', () => {
    expect(formatRelative(at(-5), NOW)).toBe('just now');
    expect(formatRelative(at(-5 * 60), NOW)).toBe('5 min ago');
    expect(formatRelative(at(-3 * 3600), NOW)).toBe('3 h ago');
  });

  it('counts down to a future moment instead of calling it "just now" (an invitation expiring in 7 days)', () => {
    expect(formatRelative(at(30), NOW)).toBe('just now');
    expect(formatRelative(at(10 * 60), NOW)).toBe('in 10 min');
    expect(formatRelative(at(5 * 3600), NOW)).toBe('in 5 h');
    expect(formatRelative(at(7 * 86_400), NOW)).toBe('in 7 days');
  });

  it('gives the date for anything older than a day or further than a month ahead, and a dash for nothing', () => {
    expect(formatRelative(at(-2 * 86_400), NOW)).not.toMatch(/ago|just now/);
    expect(formatRelative(at(40 * 86_400), NOW)).not.toMatch(/^in /);
    expect(formatRelative(null, NOW)).toBe('—');
  });
});
