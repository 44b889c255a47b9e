/** Messenger's sendFile against the fake Send API: one multipart send with the file's bytes, name and type. */
import { describe, expect, it } from 'vitest';
import { PDF_STUB, PNG_1X1 } from '../../sdk/fake/media.ts';
import { fakeServerUrl, receivedBy, recordingContext, sha256Hex } from '../../sdk/testing/channel.ts';
import { messengerChannel } from './index.ts';

const settings = messengerChannel.settings.parse({
  pageAccessToken: 'test-page-token',
  appSecret: 'messenger-files-secret',
  verifyToken: 'messenger-files-verify',
  apiBaseUrl: fakeServerUrl('messenger'),
});
const fakeContext = () => recordingContext(settings);

// Recipients of this file only: the fake is shared by test files running in parallel.
const PSID = 'psid-files-7301';

describe('messenger sendFile()', () => {
  it('uploads a PDF as a `file` attachment and a PNG as an `image`, with their names', async () => {
    const { ctx } = fakeContext();
    const pdf = {
      conversationKey: PSID,
      bytes: PDF_STUB.slice().buffer,
      name: 'terms.pdf',
      mimeType: 'application/pdf',
    };
    expect(await messengerChannel.sendFile?.(ctx, pdf)).toMatchObject({
      ok: true,
      platformMessageIds: [expect.stringMatching(/^m_fake-/)],
    });
    const png = { conversationKey: PSID, bytes: PNG_1X1.slice().buffer, name: 'map.png', mimeType: 'image/png' };
    expect(await messengerChannel.sendFile?.(ctx, png)).toMatchObject({ ok: true });

    const uploads = (await receivedBy('messenger', PSID)).filter((r) => Array.isArray(r.body));
    const byName = (name: string) => uploads.find((r) => JSON.stringify(r.body).includes(name))?.body;
    expect(byName('terms.pdf')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'messaging_type', value: 'RESPONSE' }),
        expect.objectContaining({
          name: 'message',
          value: JSON.stringify({ attachment: { type: 'file', payload: { is_reusable: false } } }),
        }),
        {
          name: 'filedata',
          size: PDF_STUB.length,
          filename: 'terms.pdf',
          contentType: 'application/pdf',
          sha256: await sha256Hex(PDF_STUB),
        },
      ]),
    );
    expect(JSON.stringify(byName('map.png'))).toContain('\\"type\\":\\"image\\"');
  });

  it('maps Send API errors like text sends', async () => {
    const { ctx } = fakeContext();
    const file = {
      conversationKey: 'psid-ratelimited',
      bytes: PDF_STUB.slice().buffer,
      name: 'a.pdf',
      mimeType: 'application/pdf',
    };
    expect(await messengerChannel.sendFile?.(ctx, file)).toMatchObject({ ok: false, retryable: true });
  });
});
