/** Twilio's downloadMedia and setup against the fake REST API, asserted on what it received. */
import { describe, expect, it } from 'vitest';
import { PNG_1X1 } from '../../sdk/fake/media.ts';
import { fakeServerUrl, receivedBy, recordingContext } from '../../sdk/testing/channel.ts';
import { twilioChannel } from './index.ts';

const ACCOUNT = 'AC00000000000000000000000000000001';
const settings = twilioChannel.settings.parse({
  accountSid: ACCOUNT,
  authToken: '12345',
  smsFrom: '+15005550006',
  apiBaseUrl: fakeServerUrl('twilio'),
});
const ctx = (overrides: Partial<typeof settings> = {}) => recordingContext({ ...settings, ...overrides }).ctx;
const mediaUrl = (sid: string) => `${settings.apiBaseUrl}/2010-04-01/Accounts/${ACCOUNT}/Messages/MM7300/Media/${sid}`;

describe('twilio downloadMedia()', () => {
  it('fetches the MediaUrl with Basic auth and follows the redirect to the file', async () => {
    const media = await twilioChannel.downloadMedia?.(ctx(), mediaUrl('ME7300photo'));
    expect(media?.mimeType).toBe('image/png');
    expect(new Uint8Array(media?.body ?? new ArrayBuffer(0))).toEqual(PNG_1X1);
    const calls = (await receivedBy('twilio')).filter((r) => r.path.includes('ME7300photo'));
    expect(calls.map((r) => r.path)).toEqual([
      `/2010-04-01/Accounts/${ACCOUNT}/Messages/MM7300/Media/ME7300photo`,
      '/cdn/ME7300photo',
    ]);
    expect(calls[0]?.headers.authorization).toBe(`Basic ${btoa(`${ACCOUNT}:12345`)}`);
  });

  it('fails with a wrong auth token and for a media id that is not a URL', async () => {
    await expect(twilioChannel.downloadMedia?.(ctx({ authToken: 'wrong' }), mediaUrl('ME7301'))).rejects.toThrow(
      'HTTP 401',
    );
    await expect(twilioChannel.downloadMedia?.(ctx(), 'ME7302')).rejects.toThrow('MediaUrl');
  });

  it('never sends the credentials to another host', async () => {
    // Configured for the real API, the fake's CDN URL is another host.
    const elsewhere = `${new URL(settings.apiBaseUrl).origin}/cdn/ME7303photo`;
    await twilioChannel.downloadMedia?.(ctx({ apiBaseUrl: 'https://api.twilio.com' }), elsewhere);
    const [call] = (await receivedBy('twilio')).filter((r) => r.path === '/cdn/ME7303photo');
    expect(call?.headers.authorization).toBeUndefined();
  });
});

describe('twilio setup()', () => {
  it('explains where the webhook goes in the Console', async () => {
    const result = await twilioChannel.setup?.(ctx(), { webhookUrl: 'https://parley.example/webhooks/twilio/ch_1' });
    expect(result).toMatchObject({ ok: true });
    expect(result?.message).toContain('https://parley.example/webhooks/twilio/ch_1, HTTP POST');
    expect(result?.message).not.toContain(settings.authToken);
  });
});
