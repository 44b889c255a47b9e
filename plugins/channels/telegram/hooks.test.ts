/** Telegram's optional hooks against the fake Bot API, asserted on what the fake received (GET /__requests). */
import { describe, expect, it } from 'vitest';
import { OGG_OPUS, PNG_1X1 } from '../../sdk/fake/media.ts';
import { receivedBy } from '../../sdk/testing/channel.ts';
import { telegramChannel } from './index.ts';
import { mimeTypeOf } from './media.ts';
import { FAKE_TOKEN, fakeContext } from './testing.ts';

// Chat ids of this file only: the fake is shared by test files running in parallel.
const CHAT = 7_300_001;

describe('telegram downloadMedia()', () => {
  it('resolves the file with getFile and downloads it from the file URL', async () => {
    const { ctx } = fakeContext();
    const media = await telegramChannel.downloadMedia?.(ctx, 'AwADBAADbXXXXXXXXXXXGBdhD2l6_XX');
    expect(media?.mimeType).toBe('audio/ogg');
    expect(new Uint8Array(media?.body ?? new ArrayBuffer(0))).toEqual(OGG_OPUS);
    const photo = await telegramChannel.downloadMedia?.(ctx, 'photo-large-1');
    expect(photo?.mimeType).toBe('image/png');
    expect(new Uint8Array(photo?.body ?? new ArrayBuffer(0))).toEqual(PNG_1X1);
    const [download] = (await receivedBy('telegram')).filter((r) => r.path.includes('photo-large-1.png'));
    expect(download).toMatchObject({ method: 'GET', path: `/file/bot${FAKE_TOKEN}/photos/photo-large-1.png` });
  });

  it('fails on files over the Bot API download limit, without the token in the error', async () => {
    const { ctx } = fakeContext();
    const failing = telegramChannel.downloadMedia?.(ctx, 'too-big-video');
    await expect(failing).rejects.toThrow('file is too big');
    await expect(telegramChannel.downloadMedia?.(ctx, 'missing-1')).rejects.not.toThrow(FAKE_TOKEN);
  });

  it('names files by extension, since the file server says octet-stream', () => {
    expect(mimeTypeOf('voice/file_1.oga', 'application/octet-stream')).toBe('audio/ogg');
    expect(mimeTypeOf('photos/file_2.jpg', null)).toBe('image/jpeg');
    expect(mimeTypeOf('documents/file_3', 'application/octet-stream')).toBe('application/octet-stream');
  });
});

describe('telegram sendAudio()', () => {
  it('uploads Ogg/Opus replies with sendVoice, multipart, into the forum topic', async () => {
    const { ctx } = fakeContext();
    const audio = OGG_OPUS.slice().buffer;
    const result = await telegramChannel.sendAudio?.(ctx, {
      conversationKey: `-${CHAT}:9`,
      audio,
      mimeType: 'audio/ogg',
    });
    expect(result).toMatchObject({
      ok: true,
      platformMessageIds: [expect.stringMatching(new RegExp(`^-${CHAT}:\\d+$`))],
    });
    const [upload] = (await receivedBy('telegram')).filter(
      (r) => r.path.endsWith('/sendVoice') && JSON.stringify(r.body).includes(`-${CHAT}`),
    );
    expect(upload?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload?.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'chat_id', value: `-${CHAT}` }),
        expect.objectContaining({ name: 'message_thread_id', value: '9' }),
        expect.objectContaining({ name: 'voice', size: OGG_OPUS.length, filename: 'reply.ogg' }),
      ]),
    );
  });

  it('sends other formats with sendAudio, which Telegram plays as music', async () => {
    const { ctx } = fakeContext();
    const result = await telegramChannel.sendAudio?.(ctx, {
      conversationKey: String(CHAT + 1),
      audio: new Uint8Array([1, 2, 3]).buffer,
      mimeType: 'audio/wav',
    });
    expect(result).toMatchObject({ ok: true });
    const uploads = (await receivedBy('telegram', String(CHAT + 1))).filter((r) => r.path.endsWith('/sendAudio'));
    expect(uploads).toHaveLength(1);
  });
});

describe('telegram typing(), edit() and setup() on the wire', () => {
  it('sends typing and edits to the fake with the token in the path', async () => {
    const { ctx } = fakeContext();
    expect(await telegramChannel.typing?.(ctx, String(CHAT + 2))).toEqual({ ok: true, platformMessageIds: [] });
    const sent = await telegramChannel.send(ctx, { conversationKey: String(CHAT + 2), text: 'Hel' });
    const id = sent.ok ? (sent.platformMessageIds[0] ?? '') : '';
    const edited = await telegramChannel.edit?.(ctx, {
      conversationKey: String(CHAT + 2),
      platformMessageId: id,
      text: 'Hello',
    });
    expect(edited).toEqual({ ok: true, platformMessageIds: [id] });
    const received = await receivedBy('telegram', String(CHAT + 2));
    expect(received.map((r) => r.path)).toEqual([
      `/bot${FAKE_TOKEN}/sendChatAction`,
      `/bot${FAKE_TOKEN}/sendMessage`,
      `/bot${FAKE_TOKEN}/editMessageText`,
    ]);
  });

  it('reports an edit of an unknown message as a failure', async () => {
    const { ctx } = fakeContext();
    const result = await telegramChannel.edit?.(ctx, {
      conversationKey: String(CHAT + 3),
      platformMessageId: `${CHAT + 3}:1`,
      text: 'x',
    });
    expect(result).toMatchObject({ ok: false, retryable: false, message: 'Bad Request: message to edit not found' });
  });

  it('registers the webhook with the secret token, and explains a refusal', async () => {
    const { ctx } = fakeContext({ webhookSecret: 'setup_Secret-Token_7300001' });
    const url = 'https://parley.example/webhooks/telegram/ch_7300001';
    expect(await telegramChannel.setup?.(ctx, { webhookUrl: url })).toEqual({
      ok: true,
      message: `Telegram will deliver updates to ${url}`,
    });
    const [call] = await receivedBy('telegram', 'setup_Secret-Token_7300001');
    expect(call?.body).toMatchObject({ url, secret_token: 'setup_Secret-Token_7300001', drop_pending_updates: false });
    const refused = await telegramChannel.setup?.(ctx, { webhookUrl: 'http://parley.example/hook' });
    expect(refused).toEqual({
      ok: false,
      message: 'Telegram refused the webhook: Bad Request: bad webhook: An HTTPS URL must be provided for webhook',
    });
  });
});
