/** Slack's downloadMedia and setup against the fake Web API, asserted on what the fake received. */
import { describe, expect, it } from 'vitest';
import { OGG_OPUS, PNG_1X1 } from '../../sdk/fake/media.ts';
import { fakeServerUrl, receivedBy, recordingContext } from '../../sdk/testing/channel.ts';
import { slackChannel } from './index.ts';

const settings = slackChannel.settings.parse({
  botToken: 'xoxb-test',
  signingSecret: 'slack-hooks-secret',
  apiBaseUrl: fakeServerUrl('slack'),
});
const ctx = (overrides: Partial<typeof settings> = {}) => recordingContext({ ...settings, ...overrides }).ctx;

describe('slack downloadMedia()', () => {
  it('looks the file up with files.info and downloads url_private with the bot token', async () => {
    const photo = await slackChannel.downloadMedia?.(ctx(), 'F7300photo');
    expect(photo?.mimeType).toBe('image/png');
    expect(new Uint8Array(photo?.body ?? new ArrayBuffer(0))).toEqual(PNG_1X1);
    const voice = await slackChannel.downloadMedia?.(ctx(), 'F7300voice');
    expect(new Uint8Array(voice?.body ?? new ArrayBuffer(0))).toEqual(OGG_OPUS);
    const calls = (await receivedBy('slack')).filter((r) => JSON.stringify(r).includes('F7300photo'));
    expect(calls.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/api/files.info', 'Bearer xoxb-test'],
      ['/files-pri/T0FAKE-F7300photo/F7300photo.png', 'Bearer xoxb-test'],
    ]);
  });

  it('fails on unknown files and on a bad token instead of storing a sign-in page', async () => {
    await expect(slackChannel.downloadMedia?.(ctx(), 'F7300missing')).rejects.toThrow('file_not_found');
    await expect(slackChannel.downloadMedia?.(ctx({ botToken: 'xoxb-wrong' }), 'F7300doc')).rejects.toThrow(
      'invalid_auth',
    );
  });
});

describe('slack setup()', () => {
  it('tells the admin where to paste the Request URL, without calling Slack', async () => {
    const url = 'https://parley.example/webhooks/slack/ch_7300';
    const before = (await receivedBy('slack', 'ch_7300')).length;
    const result = await slackChannel.setup?.(ctx(), { webhookUrl: url });
    expect(result?.ok).toBe(true);
    expect(result?.message).toContain(`Request URL to ${url}`);
    expect(result?.message).toContain('app_mention');
    expect((await receivedBy('slack', 'ch_7300')).length).toBe(before);
  });
});
