/** WhatsApp's sendFile against the fake Cloud API: the upload's bytes, name and type, then the message by media id. */
import { describe, expect, it } from 'vitest';
import { PDF_STUB, PNG_1X1 } from '../../sdk/fake/media.ts';
import { sha256Hex as hex, receivedBy } from '../../sdk/testing/channel.ts';
import { whatsappChannel } from './index.ts';
import { fakeContext } from './testing.ts';

// Recipients of this file only: the fake is shared by test files running in parallel.
const TO = '15557300201';

/** The last message the fake received for `to`, and the media id it names. */
async function lastMessage(to: string, type: 'document' | 'image') {
  const messages = (await receivedBy('whatsapp', to)).filter((r) => r.path.endsWith('/messages'));
  const message = messages.at(-1)?.body as Record<string, { id: string }> | undefined;
  return { message, mediaId: message?.[type]?.id ?? '' };
}

describe('whatsapp sendFile()', () => {
  it('uploads a PDF, then sends a document message with its filename and caption', async () => {
    const { ctx } = fakeContext();
    const result = await whatsappChannel.sendFile?.(ctx, {
      conversationKey: TO,
      bytes: PDF_STUB.slice().buffer,
      name: 'quote-7300.pdf',
      mimeType: 'application/pdf',
      caption: 'Your quote',
    });
    expect(result).toMatchObject({ ok: true, platformMessageIds: [expect.stringMatching(/^wamid\./)] });
    const { message, mediaId } = await lastMessage(TO, 'document');
    expect(message).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: TO,
      type: 'document',
      document: { id: expect.stringMatching(/^media-upload-/), filename: 'quote-7300.pdf', caption: 'Your quote' },
    });
    const uploads = (await receivedBy('whatsapp', 'quote-7300.pdf')).filter((r) => r.path.endsWith('/media'));
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.headers.authorization).toBe('Bearer test-access-token');
    expect(uploads[0]?.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'type', value: 'application/pdf' }),
        {
          name: 'file',
          size: PDF_STUB.length,
          filename: 'quote-7300.pdf',
          contentType: 'application/pdf',
          sha256: await hex(PDF_STUB),
        },
      ]),
    );
    expect(mediaId).not.toBe('');
  });

  it('sends a PNG as an image message and a CSV as a plain-text document with its own name', async () => {
    const { ctx } = fakeContext();
    const to = '15557300202';
    const png = { conversationKey: to, bytes: PNG_1X1.slice().buffer, name: 'chart-7300.png', mimeType: 'image/png' };
    expect(await whatsappChannel.sendFile?.(ctx, png)).toMatchObject({ ok: true });
    const image = (await receivedBy('whatsapp', to)).at(-1)?.body as { type?: string; image?: unknown };
    expect(image).toMatchObject({ type: 'image', image: { id: expect.stringMatching(/^media-upload-/) } });

    const csv = new TextEncoder().encode('a,b\n1,2\n');
    const table = { conversationKey: to, bytes: csv.slice().buffer, name: 'rows-7300.csv', mimeType: 'text/csv' };
    expect(await whatsappChannel.sendFile?.(ctx, table)).toMatchObject({ ok: true });
    const [upload] = (await receivedBy('whatsapp', 'rows-7300.csv')).filter((r) => r.path.endsWith('/media'));
    expect(upload?.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'type', value: 'text/plain' }),
        expect.objectContaining({ name: 'file', filename: 'rows-7300.csv', sha256: await hex(csv) }),
      ]),
    );
  });

  it('refuses a type WhatsApp cannot send, without a request', async () => {
    const { ctx, sent } = fakeContext();
    const file = {
      conversationKey: TO,
      bytes: new ArrayBuffer(4),
      name: 'x.bin',
      mimeType: 'application/octet-stream',
    };
    expect(await whatsappChannel.sendFile?.(ctx, file)).toMatchObject({
      ok: false,
      retryable: false,
      code: 'unsupported_file',
    });
    expect(sent).toEqual([]);
  });
});
