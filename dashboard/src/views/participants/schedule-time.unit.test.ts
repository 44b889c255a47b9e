import { describe, expect, it } from 'vitest';
import { formatZoned, recurrenceText, scheduleBody, zonedInstant, zonedLocal } from './schedule-time';

describe('local times in a schedule’s time zone', () => {
  it('reads a wall time in the zone, across daylight saving', () => {
    expect(zonedInstant('2026-06-01T09:00', 'Europe/London')).toBe('2026-06-01T08:00:00.000Z');
    expect(zonedInstant('2026-01-15T09:00', 'Europe/London')).toBe('2026-01-15T09:00:00.000Z');
    expect(zonedInstant('2026-03-08T09:30', 'America/New_York')).toBe('2026-03-08T13:30:00.000Z');
    expect(zonedInstant('2026-06-01T09:00', 'Asia/Kolkata')).toBe('2026-06-01T03:30:00.000Z');
    // 01:30 does not exist in London on 29 March 2026 (clocks go 01:00 → 02:00): it moves forward by the gap.
    expect(zonedInstant('2026-03-29T01:30', 'Europe/London')).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedInstant('tomorrow', 'UTC')).toBeNull();
    expect(zonedInstant('2026-06-01T09:00', 'Mars/Olympus')).toBeNull();
  });

  it('shows an instant as the zone’s wall time, the inverse', () => {
    expect(zonedLocal('2026-06-01T08:00:00.000Z', 'Europe/London')).toBe('2026-06-01T09:00');
    expect(zonedLocal('2026-03-08T13:30:00.000Z', 'America/New_York')).toBe('2026-03-08T09:30');
    expect(formatZoned('2026-06-01T08:00:00.000Z', 'Europe/London')).toMatch(/09:00|9:00/);
    expect(formatZoned(null, 'UTC')).toBe('—');
  });
});

describe('recurrence in words', () => {
  it('names the step, the count and the end', () => {
    expect(recurrenceText(null)).toBe('Once');
    expect(recurrenceText({ every: 1, unit: 'days', times: null, until: null })).toBe('Every day');
    expect(recurrenceText({ every: 2, unit: 'weeks', times: 5, until: null })).toBe('Every 2 weeks, 5 times');
    expect(recurrenceText({ every: 1, unit: 'months', times: null, until: '2027-01-01T00:00:00.000Z' })).toMatch(
      /^Every month until .*2027/,
    );
  });
});

describe('the create request', () => {
  const fields = {
    chatbotId: 'bot_1',
    prompt: 'Ask about sleep',
    at: '2026-06-01T09:00',
    timeZone: 'Europe/London',
    repeats: false,
    every: '1',
    unit: 'days' as const,
    times: '',
    until: '',
  };

  it('sends a one-off at the zone’s instant, and a recurrence with only the limits set', () => {
    expect(scheduleBody(fields)).toEqual({
      chatbotId: 'bot_1',
      prompt: 'Ask about sleep',
      at: '2026-06-01T08:00:00.000Z',
      timeZone: 'Europe/London',
    });
    expect(scheduleBody({ ...fields, repeats: true, every: '2', times: '4' }).repeat).toEqual({
      every: 2,
      unit: 'days',
      times: 4,
    });
    expect(scheduleBody({ ...fields, repeats: true, until: '2026-07-01T00:00' }).repeat).toEqual({
      every: 1,
      unit: 'days',
      until: '2026-06-30T23:00:00.000Z',
    });
    // A time that names nothing goes as typed: the API answers 400 naming body.at.
    expect(scheduleBody({ ...fields, at: '' }).at).toBe('');
  });
});
