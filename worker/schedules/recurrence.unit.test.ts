import { describe, expect, it } from 'vitest';
import { dueOf, occurrenceAfter, type Recurrence } from './recurrence.ts';
import { isTimeZone, localTime, zonedInstant } from './zoned-time.ts';

const every = (n: number, unit: Recurrence['unit'], more: Partial<Recurrence> = {}): Recurrence => ({
  every: n,
  unit,
  times: null,
  until: null,
  ...more,
});
const iso = (ms: number) => new Date(ms).toISOString();
const at = (text: string) => Date.parse(text);

describe('zoned time', () => {
  it('converts wall-clock times to instants on both sides of a DST change', () => {
    const base = { minute: 0, second: 0 };
    expect(iso(zonedInstant({ year: 2026, month: 1, day: 15, hour: 9, ...base }, 'Europe/London'))).toBe(
      '2026-01-15T09:00:00.000Z',
    );
    expect(iso(zonedInstant({ year: 2026, month: 7, day: 15, hour: 9, ...base }, 'Europe/London'))).toBe(
      '2026-07-15T08:00:00.000Z',
    );
    expect(iso(zonedInstant({ year: 2026, month: 7, day: 15, hour: 9, ...base }, 'America/New_York'))).toBe(
      '2026-07-15T13:00:00.000Z',
    );
  });

  it('moves a skipped local time forward by the gap and takes the first of a repeated one', () => {
    // London skips 01:00–02:00 on 29 March 2026 and repeats 01:00–02:00 on 25 October 2026.
    const skipped = zonedInstant({ year: 2026, month: 3, day: 29, hour: 1, minute: 30, second: 0 }, 'Europe/London');
    expect(iso(skipped)).toBe('2026-03-29T01:30:00.000Z'); // 02:30 BST
    const repeated = zonedInstant({ year: 2026, month: 10, day: 25, hour: 1, minute: 30, second: 0 }, 'Europe/London');
    expect(iso(repeated)).toBe('2026-10-25T00:30:00.000Z'); // the first 01:30, still BST
    expect(localTime(repeated, 'Europe/London').hour).toBe(1);
  });

  it('knows IANA names and refuses others', () => {
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('recurrence', () => {
  it('keeps 09:00 local every day across the spring and autumn changes in London', () => {
    const anchor = at('2026-03-28T09:00:00Z'); // 09:00 GMT
    const days = [0, 1, 2].map((n) => iso(occurrenceAfter(anchor, every(1, 'days'), n, 'Europe/London')));
    expect(days).toEqual(['2026-03-28T09:00:00.000Z', '2026-03-29T08:00:00.000Z', '2026-03-30T08:00:00.000Z']);
    const autumn = at('2026-10-24T08:00:00Z'); // 09:00 BST
    expect(iso(occurrenceAfter(autumn, every(1, 'days'), 1, 'Europe/London'))).toBe('2026-10-25T09:00:00.000Z');
  });

  it('keeps 08:30 local weekly across New York changes (8 March and 1 November 2026)', () => {
    const anchor = at('2026-03-02T13:30:00Z'); // Monday 08:30 EST
    expect(iso(occurrenceAfter(anchor, every(1, 'weeks'), 1, 'America/New_York'))).toBe('2026-03-09T12:30:00.000Z');
    const fall = at('2026-10-26T12:30:00Z'); // 08:30 EDT
    expect(iso(occurrenceAfter(fall, every(1, 'weeks'), 1, 'America/New_York'))).toBe('2026-11-02T13:30:00.000Z');
  });

  it('counts minutes and hours as elapsed time, not wall-clock time', () => {
    const anchor = at('2026-03-29T00:30:00Z'); // 00:30 GMT, before London springs forward at 01:00
    expect(iso(occurrenceAfter(anchor, every(90, 'minutes'), 1, 'Europe/London'))).toBe('2026-03-29T02:00:00.000Z');
    expect(iso(occurrenceAfter(anchor, every(2, 'hours'), 3, 'Europe/London'))).toBe('2026-03-29T06:30:00.000Z');
  });

  it('clamps the 31st to shorter months without drifting, leap years included', () => {
    const anchor = at('2028-01-31T10:00:00Z');
    const months = [0, 1, 2, 3].map((n) => iso(occurrenceAfter(anchor, every(1, 'months'), n, 'UTC')));
    expect(months).toEqual([
      '2028-01-31T10:00:00.000Z',
      '2028-02-29T10:00:00.000Z',
      '2028-03-31T10:00:00.000Z',
      '2028-04-30T10:00:00.000Z',
    ]);
    expect(iso(occurrenceAfter(at('2027-01-31T10:00:00Z'), every(1, 'months'), 1, 'UTC'))).toBe(
      '2027-02-28T10:00:00.000Z',
    );
    // Twelve months, across the year end, in a zone with DST: the local time stays 10:00.
    const nyc = at('2026-12-31T15:00:00Z'); // 10:00 EST
    expect(iso(occurrenceAfter(nyc, every(6, 'months'), 1, 'America/New_York'))).toBe('2027-06-30T14:00:00.000Z');
  });

  it('ends after `times` occurrences or past `until`, and a one-off has one occurrence', () => {
    const position = { anchorAt: at('2026-05-01T00:00:00Z'), anchorIndex: 0 };
    const thrice = every(1, 'days', { times: 3 });
    expect(dueOf(position, thrice, 2, 'UTC')).toBe(at('2026-05-03T00:00:00Z'));
    expect(dueOf(position, thrice, 3, 'UTC')).toBeNull();
    const untilThird = every(1, 'days', { until: at('2026-05-03T00:00:00Z') });
    expect(dueOf(position, untilThird, 2, 'UTC')).toBe(at('2026-05-03T00:00:00Z'));
    expect(dueOf(position, untilThird, 3, 'UTC')).toBeNull();
    expect(dueOf(position, null, 0, 'UTC')).toBe(position.anchorAt);
    expect(dueOf(position, null, 1, 'UTC')).toBeNull();
  });

  it('counts from a moved anchor', () => {
    const moved = { anchorAt: at('2026-05-10T12:00:00Z'), anchorIndex: 4 };
    expect(dueOf(moved, every(2, 'days', { times: 6 }), 5, 'UTC')).toBe(at('2026-05-12T12:00:00Z'));
    expect(dueOf(moved, every(2, 'days', { times: 6 }), 6, 'UTC')).toBeNull();
  });
});
