import { describe, expect, it } from 'vitest';
import { bodyFieldErrors, defaultTimeZone, isTimeZone, scheduleOrder } from './schedule-form';
import type { Schedule } from './schedule-time';

describe('the schedule forms’ field errors', () => {
  it('keys a 400’s body fields by their path under the body, first message first', () => {
    const errors = bodyFieldErrors([
      { field: 'body.repeat.until', message: 'must not be before the first occurrence' },
      { field: 'body.timeZone', message: 'must be an IANA time zone such as Europe/London' },
      { field: 'body.timeZone', message: 'second' },
      { field: 'body', message: 'give status, nextDueAt or prompt' },
      { field: 'query.chatbotId', message: 'not a body field' },
      'junk',
      null,
    ]);
    expect([...errors]).toEqual([
      ['repeat.until', 'must not be before the first occurrence'],
      ['timeZone', 'must be an IANA time zone such as Europe/London'],
      ['', 'give status, nextDueAt or prompt'],
    ]);
    expect(bodyFieldErrors(null).size).toBe(0);
    expect(bodyFieldErrors({ field: 'body.at' }).size).toBe(0);
  });
});

describe('a new schedule’s time zone', () => {
  const data = [
    { chatbotId: 'bot_a', data: { timezone: 'Asia/Kolkata' }, updatedAt: null },
    { chatbotId: 'bot_b', data: { timezone: 'Not/AZone' }, updatedAt: null },
    { chatbotId: 'bot_c', data: { timezone: 42 }, updatedAt: null },
  ];

  it('is the chatbot’s participant data `timezone`, else the profile’s, else the browser’s', () => {
    expect(defaultTimeZone(data, 'bot_a', { timezone: 'Europe/London' }, 'UTC')).toBe('Asia/Kolkata');
    expect(defaultTimeZone(data, 'bot_b', { timezone: 'Europe/London' }, 'UTC')).toBe('Europe/London');
    expect(defaultTimeZone(data, 'bot_c', null, 'America/New_York')).toBe('America/New_York');
    expect(defaultTimeZone([], 'bot_x', { timezone: '' }, 'UTC')).toBe('UTC');
  });

  it('tells an IANA zone from anything else', () => {
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('the order of the schedules', () => {
  const schedule = (id: string, status: Schedule['status'], nextDueAt: string | null, updatedAt: string): Schedule => ({
    id,
    participantId: 'ptc_1',
    chatbotId: 'bot_1',
    prompt: id,
    timeZone: 'UTC',
    repeat: null,
    status,
    nextDueAt,
    firedCount: 0,
    failedCount: 0,
    attempts: 0,
    lastAttemptAt: null,
    lastOutcome: null,
    origin: 'api',
    createdAt: updatedAt,
    updatedAt,
  });

  it('lists live schedules soonest first, then finished ones most recently changed first', () => {
    const list = [
      schedule('old-done', 'done', null, '2026-01-01T00:00:00.000Z'),
      schedule('later', 'paused', '2026-06-02T09:00:00.000Z', '2026-01-01T00:00:00.000Z'),
      schedule('new-cancelled', 'cancelled', '2026-06-01T09:00:00.000Z', '2026-02-01T00:00:00.000Z'),
      schedule('soon', 'active', '2026-06-01T09:00:00.000Z', '2026-01-01T00:00:00.000Z'),
    ];
    expect(list.sort(scheduleOrder).map((s) => s.id)).toEqual(['soon', 'later', 'new-cancelled', 'old-done']);
  });
});
