/** Messenger's typing, downloadMedia, sendAudio and setup against the fake Send API, asserted on what it received. */
import { describe, expect, it } from 'vitest';
import { OGG_OPUS, PNG_1X1 } from '../../sdk/fake/media.ts';
import { fakeServerUrl, receivedBy, recordingContext } from '../../sdk/testing/channel.ts';
import { messengerChannel } from './index.ts';

const apiBaseUrl = fakeServerUrl('messenger');
const settings = messengerChannel.settings.parse({
  pageAccessToken: 'test-page-token',
  appSecret: 'messenger-hooks-secret',
  verifyToken: 'messenger-hooks-verify',
  apiBaseUrl,
});
const ctx = () => recordingContext(settings).ctx;
// A recipient of this file only: the fake is shared by test files running in parallel.
const PSID = 'psid-7300';

describe('messenger typing()', () => {
  it('is renewed before Messenger drops it (20 s) but not every 4 s', () => {
    const refresh = messengerChannel.capabilities.typingRefreshMs ?? 0;
    expect(refresh).toBeGreaterThan(4_000);
    expect(refresh).toBeLessThan(20_000);
  });

  it('sends sender_action typing_on with the page token', async () => {
    expect(await messengerChannel.typing?.(ctx(), PSID)).toEqual({ ok: true, platformMessageIds: [] });
    const [call] = await receivedBy('messenger', PSID);
    expect(call).toMatchObject({
      path: '/v21.0/me/messages',
      headers: { authorization: 'Bearer test-page-token' },
      body: { recipient: { id: PSID }, sender_action: 'typing_on' },
    });
  });
});

describe('messenger downloadMedia()', () => {
  it('downloads the attachment URL without sending the page token', async () => {
    const url = `${new URL(apiBaseUrl).origin}/cdn/psid-7300-photo.png`;
    const media = await messengerChannel.downloadMedia?.(ctx(), url);
    expect(media?.mimeType).toBe('image/png');
    expect(new Uint8Array(media?.body ?? new ArrayBuffer(0))).toEqual(PNG_1X1);
    const [call] = (await receivedBy('messenger')).filter((r) => r.path === '/cdn/psid-7300-photo.png');
    expect(call?.headers.authorization).toBeUndefined();
  });

  it('rejects a media id that is not a URL', async () => {
    await expect(messengerChannel.downloadMedia?.(ctx(), 'sticker-1')).rejects.toThrow('attachment URL');
  });
});

describe('messenger sendAudio()', () => {
  it('uploads the audio as a multipart attachment and returns the message id', async () => {
    const audio = OGG_OPUS.slice().buffer;
    const result = await messengerChannel.sendAudio?.(ctx(), { conversationKey: PSID, audio, mimeType: 'audio/ogg' });
    expect(result).toMatchObject({ ok: true, platformMessageIds: [expect.stringMatching(/^m_fake-/)] });
    const [upload] = (await receivedBy('messenger', PSID)).filter((r) => Array.isArray(r.body));
    expect(upload?.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(upload?.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'recipient', value: JSON.stringify({ id: PSID }) }),
        expect.objectContaining({ name: 'filedata', size: OGG_OPUS.length, contentType: 'audio/ogg' }),
      ]),
    );
  });

  it('maps Send API errors like text sends', async () => {
    const audio = OGG_OPUS.slice().buffer;
    const blocked = await messengerChannel.sendAudio?.(ctx(), {
      conversationKey: 'psid-blocked',
      audio,
      mimeType: 'audio/ogg',
    });
    expect(blocked).toMatchObject({ ok: false, retryable: false, code: 'user_unavailable' });
  });
});

describe('messenger setup() and addressing', () => {
  it('explains the dashboard steps without echoing secrets', async () => {
    const result = await messengerChannel.setup?.(ctx(), {
      webhookUrl: 'https://parley.example/webhooks/messenger/ch_1',
    });
    expect(result?.ok).toBe(true);
    expect(result?.message).toContain('Callback URL to https://parley.example/webhooks/messenger/ch_1');
    expect(result?.message).not.toContain(settings.verifyToken);
    expect(result?.message).not.toContain(settings.pageAccessToken);
  });
});
