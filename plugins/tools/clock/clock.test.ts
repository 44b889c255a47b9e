import { describe, expect, it } from 'vitest';
import { runToolContract } from '../../sdk/contracts/tool.contract.ts';
import { FIXED_EPOCH, fakeClock, noNetwork } from '../../sdk/testing/fakes.ts';
import { currentTime, currentTimeArgs, describeTime } from './current-time.ts';
import { clockTool } from './index.ts';

runToolContract(clockTool, {
  context: ({ signal, clock }) => ({ settings: clockTool.settings.parse({}), fetch: noNetwork, clock, signal }),
  samples: {
    current_time: {
      valid: [{}, { timeZone: 'Europe/Paris' }, { timeZone: 'UTC' }],
      invalid: [{ timeZone: 'Mars/Olympus_Mons' }, { timeZone: 42 }, { timeZone: '' }, { zone: 'UTC' }],
    },
  },
});

const ctx = (defaultTimeZone = 'UTC', epoch = FIXED_EPOCH) => ({
  settings: clockTool.settings.parse({ defaultTimeZone }),
  fetch: noNetwork,
  clock: fakeClock(epoch),
  signal: new AbortController().signal,
});

describe('current_time', () => {
  it('reads the time from ctx.clock, not the wall clock', async () => {
    expect(await currentTime.run(ctx(), {})).toEqual({
      iso: '2026-01-15T12:00:00.000Z',
      timeZone: 'UTC',
      local: '2026-01-15T12:00:00+00:00',
      weekday: 'Thursday',
    });
  });

  it('uses the configured default zone when the model names none', async () => {
    expect(await currentTime.run(ctx('Asia/Tokyo'), {})).toMatchObject({
      timeZone: 'Asia/Tokyo',
      local: '2026-01-15T21:00:00+09:00',
    });
  });

  it('prefers the zone the model asked for over the default', async () => {
    const result = await currentTime.run(ctx('Asia/Tokyo'), { timeZone: 'America/New_York' });
    expect(result).toMatchObject({ timeZone: 'America/New_York', local: '2026-01-15T07:00:00-05:00' });
  });

  it('follows daylight saving time', () => {
    expect(describeTime(FIXED_EPOCH, 'Europe/Paris').local).toBe('2026-01-15T13:00:00+01:00');
    expect(describeTime(Date.UTC(2026, 6, 15, 12), 'Europe/Paris').local).toBe('2026-07-15T14:00:00+02:00');
  });

  it('handles half-hour offsets and a date that differs from UTC', () => {
    const lateEvening = Date.UTC(2026, 0, 15, 23, 45, 30);
    expect(describeTime(lateEvening, 'Asia/Kolkata')).toMatchObject({
      local: '2026-01-16T05:15:30+05:30',
      weekday: 'Friday',
    });
    expect(describeTime(lateEvening, 'Pacific/Honolulu').local).toBe('2026-01-15T13:45:30-10:00');
  });

  it('writes midnight as 00, never 24', () => {
    expect(describeTime(Date.UTC(2026, 0, 15, 0, 0, 5), 'UTC').local).toBe('2026-01-15T00:00:05+00:00');
  });

  it('returns the canonical zone name', () => {
    expect(describeTime(FIXED_EPOCH, 'europe/paris').timeZone).toBe('Europe/Paris');
  });

  it('rejects an unknown zone with an error that names it and says what is expected', () => {
    const parsed = currentTimeArgs.safeParse({ timeZone: 'Mars/Olympus_Mons' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(
      'Unknown time zone "Mars/Olympus_Mons": use an IANA name such as "Europe/Paris", "America/New_York" or "UTC"',
    );
    expect(() => describeTime(FIXED_EPOCH, 'Mars/Olympus_Mons')).toThrow(/Unknown time zone "Mars\/Olympus_Mons"/);
  });

  it('rejects an unknown default zone in the settings', () => {
    expect(clockTool.settings.safeParse({ defaultTimeZone: 'Nowhere/Land' }).success).toBe(false);
    expect(clockTool.settings.parse({})).toEqual({ defaultTimeZone: 'UTC' });
  });
});
