import { describe, expect, it } from 'vitest';
import { connectionTestOutcome } from './connection-test';

describe('connectionTestOutcome', () => {
  it('turns a refused test into an error and keeps a passed one a notice', () => {
    const failed = connectionTestOutcome({ ok: false, models: null, message: 'Invalid API key' });
    expect('error' in failed && failed.error.code).toBe('provider_error');
    expect('error' in failed && failed.error.message).toBe('Invalid API key');
    expect(connectionTestOutcome({ ok: true, models: 3, message: 'Connected: 3 models' })).toEqual({
      notice: 'Connected: 3 models',
    });
  });
});
