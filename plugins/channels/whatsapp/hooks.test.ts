/** WhatsApp's downloadMedia, sendAudio and setup against the fake Cloud API, asserted on what it received. */
import { describe, expect, it } from 'vitest';
import { OGG_OPUS, PNG_1X1 } from '../../sdk/fake/media.ts';
import { receivedBy } from '../../sdk/testing/channel.ts';
import { whatsappChannel } from './index.ts';
import { fakeContext } from './testing.ts';

// Recipients of this file only: the fake is shared by test files running in parallel.
const TO = '15557300001';

describe('whatsapp downloadMedia()', () => {
  it('looks the media up, then downloads its url with the same Bearer token', async () => {
    const { ctx } = fakeContext();
    const voice = await whatsappChannel.downloadMedia?.(ctx, 'wa-7300-voice');
    expect(voice?.mimeType).toBe('audio/ogg');
    expect(new Uint8Array(voice?.body ?? new ArrayBuffer(0))).toEqual(OGG_OPUS);
    const photo = await whatsappChannel.downloadMedia?.(ctx, 'wa-7300-photo');
    expect(photo?.mimeType).toBe('image/png');
    expect(new Uint8Array(photo?.body ?? new ArrayBuffer(0))).toEqual(PNG_1X1);
    const calls = (await receivedBy('whatsapp')).filter((r) => JSON.stringify(r).includes('wa-7300-voice'));
    expect(calls.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
      ['GET', '/v23.0/wa-7300-voice', 'Bearer test-access-token'],
      ['GET', '/whatsapp_business/attachments/', 'Bearer test-access-token'],
    ]);
  });

  it("fails with Meta's message for unknown media and a bad token", async () => {
    await expect(whatsappChannel.downloadMedia?.(fakeContext().ctx, 'wa-missing')).rejects.toThrow('does not exist');
    const wrong = fakeContext({ accessToken: 'wrong-token' }).ctx;
    await expect(whatsappChannel.downloadMedia?.(wrong, 'wa-7300-doc')).rejects.toThrow('Invalid OAuth access token');
  });
});

describe('whatsapp sendAudio()', () => {
  it('uploads the audio, then sends it as an audio message', async () => {
    const { ctx } = fakeContext();
    const audio = OGG_OPUS.slice().buffer;
    const result = await whatsappChannel.sendAudio?.(ctx, {
      conversationKey: TO,
      audio,
      mimeType: 'audio/ogg; codecs=opus',
    });
    expect(result).toMatchObject({ ok: true, platformMessageIds: [expect.stringMatching(/^wamid\./)] });
    const [message] = await receivedBy('whatsapp', TO);
    const mediaId = (message?.body as { audio?: { id?: string } } | undefined)?.audio?.id ?? '';
    expect(message?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: TO,
      type: 'audio',
      audio: { id: expect.stringMatching(/^media-upload-/) },
    });
    // Any of the fake's uploads, not the last: other files (file.test.ts) upload to the same fake at the same time.
    const uploads = (await receivedBy('whatsapp')).filter((r) => r.path.endsWith('/media')).map((r) => r.body);
    expect(uploads).toContainEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'messaging_product', value: 'whatsapp' }),
        expect.objectContaining({ name: 'type', value: 'audio/ogg' }),
        expect.objectContaining({ name: 'file', size: OGG_OPUS.length, filename: 'reply.ogg' }),
      ]),
    );
    expect(mediaId).not.toBe('');
  });

  it('refuses formats WhatsApp cannot play without calling the API', async () => {
    const { ctx, sent } = fakeContext();
    const result = await whatsappChannel.sendAudio?.(ctx, {
      conversationKey: TO,
      audio: new ArrayBuffer(4),
      mimeType: 'audio/wav',
    });
    expect(result).toMatchObject({ ok: false, retryable: false, code: 'unsupported_audio' });
    expect(sent).toEqual([]);
  });
});

describe('whatsapp setup() and addressing', () => {
  it('explains the dashboard steps without echoing the verify token', async () => {
    const { ctx } = fakeContext();
    const result = await whatsappChannel.setup?.(ctx, { webhookUrl: 'https://parley.example/webhooks/whatsapp/ch_1' });
    expect(result?.ok).toBe(true);
    expect(result?.message).toContain('Callback URL to https://parley.example/webhooks/whatsapp/ch_1');
    expect(result?.message).not.toContain(ctx.settings.verifyToken);
  });
});
