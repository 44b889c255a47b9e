import { describe, expect, it } from 'vitest';
import { IsolateCache } from './isolate-cache.ts';

function cache(maxEntries: number, ttlMs: number) {
  const clock = { at: 1_000, now: () => clock.at };
  return { clock, cache: new IsolateCache<string>({ maxEntries, ttlMs, clock }) };
}

describe('IsolateCache', () => {
  it('drops the least recently used entry when full', () => {
    const { cache: c } = cache(2, 60_000);
    c.set('a', 'A');
    c.set('b', 'B');
    expect(c.get('a')).toBe('A');
    c.set('c', 'C');
    expect(c.keys()).toEqual(['a', 'c']);
    expect(c.get('b')).toBeUndefined();
    c.set('a', 'A2');
    expect(c.size).toBe(2);
    expect(c.get('a')).toBe('A2');
  });

  it('expires an entry ttlMs after it was stored, however often it is read', () => {
    const { cache: c, clock } = cache(10, 100);
    c.set('a', 'A');
    clock.at += 99;
    expect(c.get('a')).toBe('A');
    clock.at += 1;
    expect(c.get('a')).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('keeps entries forever with an infinite TTL', () => {
    const { cache: c, clock } = cache(10, Number.POSITIVE_INFINITY);
    c.set('a', 'A');
    clock.at += 10 * 365 * 86_400_000;
    expect(c.get('a')).toBe('A');
  });

  it('refuses a value read before an eviction that happened while it was in flight', () => {
    const { cache: c } = cache(10, 60_000);
    const before = c.evictionEpoch;
    c.delete('a');
    c.set('a', 'stale', { unlessEvictedSince: before });
    expect(c.get('a')).toBeUndefined();
    c.set('a', 'fresh', { unlessEvictedSince: c.evictionEpoch });
    expect(c.get('a')).toBe('fresh');
  });

  it('deletes by value', () => {
    const { cache: c } = cache(10, 60_000);
    c.set('a', 'team1');
    c.set('b', 'team2');
    c.set('c', 'team1');
    expect(c.deleteWhere((value) => value === 'team1')).toBe(2);
    expect(c.keys()).toEqual(['b']);
  });

  it('rejects a size or TTL that cannot work', () => {
    expect(() => new IsolateCache({ maxEntries: 0, ttlMs: 1 })).toThrow(RangeError);
    expect(() => new IsolateCache({ maxEntries: 1, ttlMs: 0 })).toThrow(RangeError);
  });
});
