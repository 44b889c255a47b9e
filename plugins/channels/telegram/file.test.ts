/** Telegram's sendFile against the fake Bot API, asserted on the bytes, name and type the fake received. */
import { describe, expect, it } from 'vitest';
import { PDF_STUB, PNG_1X1 } from '../../sdk/fake/media.ts';
import { sha256Hex as hex, receivedBy } from '../../sdk/testing/channel.ts';
import { telegramChannel } from './index.ts';
import { fakeContext } from './testing.ts';

// Chat ids of this file only: the fake is shared by test files running in parallel.
const CHAT = 7_300_201;

async function uploads(chat: string, method: string) {
  return (await receivedBy('telegram', chat)).filter(
    (r) => r.path.endsWith(`/${method}`) && JSON.stringify(r.body).includes(`"value":"${chat}"`),
  );
}

describe('telegram sendFile()', () => {
  it('uploads a PDF with sendDocument: the bytes, the file name, the type and the caption arrive', async () => {
    const { ctx } = fakeContext();
    const chat = String(CHAT);
    const result = await telegramChannel.sendFile?.(ctx, {
      conversationKey: `${chat}:5`,
      bytes: PDF_STUB.slice().buffer,
      name: 'invoice-2026.pdf',
      mimeType: 'application/pdf',
      caption: 'Your invoice',
    });
    expect(result).toMatchObject({ ok: true, platformMessageIds: [expect.stringMatching(/^7300201:\d+$/)] });
    const [upload] = await uploads(chat, 'sendDocument');
    expect(upload?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload?.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'message_thread_id', value: '5' }),
        expect.objectContaining({ name: 'caption', value: 'Your invoice' }),
        {
          name: 'document',
          size: PDF_STUB.length,
          filename: 'invoice-2026.pdf',
          contentType: 'application/pdf',
          sha256: await hex(PDF_STUB),
        },
      ]),
    );
  });

  it('sends a PNG with sendPhoto, and as a document when Telegram refuses the photo', async () => {
    const { ctx } = fakeContext();
    const chat = String(CHAT + 1);
    const photo = { conversationKey: chat, bytes: PNG_1X1.slice().buffer, mimeType: 'image/png' };
    expect(await telegramChannel.sendFile?.(ctx, { ...photo, name: 'chart.png' })).toMatchObject({ ok: true });
    const [sent] = await uploads(chat, 'sendPhoto');
    expect(sent?.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'photo', filename: 'chart.png', contentType: 'image/png' }),
      ]),
    );

    // The fake answers PHOTO_INVALID_DIMENSIONS for a "panorama": the same file goes out as a document.
    expect(await telegramChannel.sendFile?.(ctx, { ...photo, name: 'panorama.png' })).toMatchObject({ ok: true });
    const documents = await uploads(chat, 'sendDocument');
    expect(documents).toHaveLength(1);
    expect(documents[0]?.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'document', filename: 'panorama.png', sha256: await hex(PNG_1X1) }),
      ]),
    );
    expect(await uploads(chat, 'sendPhoto')).toHaveLength(2);
  });

  it('maps a blocked chat to a final failure without trying a document', async () => {
    const { ctx } = fakeContext();
    const result = await telegramChannel.sendFile?.(ctx, {
      conversationKey: '403',
      bytes: PNG_1X1.slice().buffer,
      name: 'x.png',
      mimeType: 'image/png',
    });
    expect(result).toMatchObject({ ok: false, retryable: false, code: 'blocked' });
  });
});
