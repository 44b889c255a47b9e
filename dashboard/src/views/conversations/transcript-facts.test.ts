import { describe, expect, it } from 'vitest';
import type { Message } from '../../lib/types';
import { failedMessages, participantLabel } from './transcript-facts';

const message = (fields: Partial<Message>) => ({ id: 'm', metadata: {}, error: null, ...fields }) as Message;

describe('transcript facts', () => {
  it('counts failed deliveries as errors, not only failed replies', () => {
    expect(
      failedMessages([
        message({}),
        message({ metadata: { delivery: { status: 'failed', error: { message: 'chat not found' } } } }),
        message({ metadata: { delivery: { status: 'sent' } } }),
        message({ error: { code: 'provider_error', message: 'x' } } as Partial<Message>),
      ]),
    ).toBe(2);
  });

  it('names a participant by name, else by their platform id', () => {
    expect(participantLabel({ platform: 'telegram', externalId: '42', name: 'Ada' })).toBe('Ada (telegram)');
    expect(participantLabel({ platform: 'api', externalId: 'user-7', name: null })).toBe('user-7 (api)');
  });
});
