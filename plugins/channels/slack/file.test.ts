/** Slack's sendFile against the fake Web API: upload URL, the bytes, then the share into the channel's thread. */
import { describe, expect, it } from 'vitest';
import { PDF_STUB } from '../../sdk/fake/media.ts';
import { fakeServerUrl, receivedBy, recordingContext, sha256Hex } from '../../sdk/testing/channel.ts';
import { slackChannel } from './index.ts';

const settings = slackChannel.settings.parse({
  botToken: 'xoxb-test',
  signingSecret: 'slack-files-secret',
  apiBaseUrl: fakeServerUrl('slack'),
});
const ctx = () => recordingContext(settings).ctx;

describe('slack sendFile()', () => {
  it('gets an upload URL, posts the bytes there without the token, and completes into the thread', async () => {
    const bytes = PDF_STUB.slice().buffer;
    const file = { conversationKey: 'C7300FILES:1700000000.000100', bytes, name: 'slack-7300.pdf' };
    const result = await slackChannel.sendFile?.(ctx(), { ...file, mimeType: 'application/pdf', caption: 'Here' });
    expect(result).toMatchObject({ ok: true, platformMessageIds: [expect.stringMatching(/^F0FAKE/)] });
    const fileId = result?.ok ? result.platformMessageIds[0] : '';

    const [ticket] = (await receivedBy('slack', 'slack-7300.pdf')).filter((r) =>
      r.path.endsWith('/files.getUploadURLExternal'),
    );
    expect(ticket?.headers.authorization).toBe('Bearer xoxb-test');
    expect(ticket?.body).toEqual({ filename: 'slack-7300.pdf', length: String(PDF_STUB.length) });

    const [upload] = (await receivedBy('slack')).filter((r) => r.path === `/upload/${fileId}`);
    expect(upload?.headers.authorization).toBeUndefined();
    expect(upload?.headers['content-type']).toBe('application/pdf');
    expect(upload?.body).toEqual({ size: PDF_STUB.length, sha256: await sha256Hex(PDF_STUB) });

    const [complete] = (await receivedBy('slack', String(fileId))).filter((r) =>
      r.path.endsWith('/files.completeUploadExternal'),
    );
    expect(complete?.body).toEqual({
      files: [{ id: fileId, title: 'slack-7300.pdf' }],
      channel_id: 'C7300FILES',
      thread_ts: '1700000000.000100',
      initial_comment: 'Here',
    });
  });

  it('maps a missing channel to a final failure and a rate limit to a retry', async () => {
    const file = { bytes: PDF_STUB.slice().buffer, name: 'x.pdf', mimeType: 'application/pdf' };
    expect(await slackChannel.sendFile?.(ctx(), { ...file, conversationKey: 'C-MISSING' })).toMatchObject({
      ok: false,
      retryable: false,
      code: 'channel_not_found',
    });
    expect(await slackChannel.sendFile?.(ctx(), { ...file, conversationKey: 'C-RATELIMITED' })).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 7000,
    });
  });
});
