import { describe, expect, it } from 'vitest';
import { formatBytes } from '../lib/format';
import { attachmentsOf, fileBadge, fileDeliveryOf, fileUrl, isPreviewable } from './message-files';

const report = { fileId: 'file_0123456789abcdefghjkmnpqrs', name: 'report.pdf', mimeType: 'application/pdf', size: 28 };

describe('attachments of a message', () => {
  it('reads metadata.attachments as a reply (no url) and an upload (with url) store them', () => {
    const upload = { ...report, fileId: 'file_2', name: 'photo.png', mimeType: 'image/png', url: '/api/widget/v1/x' };
    expect(attachmentsOf({ attachments: [report, upload] })).toEqual([
      report,
      { fileId: 'file_2', name: 'photo.png', mimeType: 'image/png', size: 28 },
    ]);
  });

  it('leaves out what is not a file and fills a missing name, type or size', () => {
    expect(
      attachmentsOf({ attachments: [null, 'file_1', { name: 'no id' }, { fileId: '' }, { fileId: 'file_3' }] }),
    ).toEqual([{ fileId: 'file_3', name: 'file_3', mimeType: 'application/octet-stream' }]);
    expect(attachmentsOf({ attachments: [{ ...report, size: -1 }] })[0]).not.toHaveProperty('size');
    expect(attachmentsOf({ attachments: 'nope' })).toEqual([]);
    expect(attachmentsOf({})).toEqual([]);
  });

  it('downloads from the admin route of the conversation, ids encoded', () => {
    expect(fileUrl('conv_1', report.fileId)).toBe(`/api/v1/conversations/conv_1/files/${report.fileId}`);
    expect(fileUrl('conv 1', '../x')).toBe('/api/v1/conversations/conv%201/files/..%2Fx');
  });

  it('previews raster images only', () => {
    expect(isPreviewable({ ...report, mimeType: 'image/png' })).toBe(true);
    expect(isPreviewable({ ...report, mimeType: 'image/JPEG' })).toBe(true);
    expect(isPreviewable({ ...report, mimeType: 'image/svg+xml' })).toBe(false);
    expect(isPreviewable(report)).toBe(false);
  });

  it("labels a file's icon by its extension, else by its type", () => {
    expect(fileBadge(report)).toBe('PDF');
    expect(fileBadge({ ...report, name: 'data.json' })).toBe('JSON');
    expect(fileBadge({ ...report, name: 'report' })).toBe('PDF');
    expect(fileBadge({ ...report, name: 'sheet', mimeType: 'text/csv' })).toBe('XLS');
    expect(fileBadge({ ...report, name: 'blob', mimeType: 'application/octet-stream' })).toBe('FILE');
    // A long "extension" is part of the name, not a type.
    expect(fileBadge({ ...report, name: 'notes.markdown', mimeType: 'text/markdown' })).toBe('TXT');
  });

  it('shows sizes people read (moved to lib/format for the chips; the knowledge table shares it)', () => {
    expect(formatBytes(28)).toBe('28 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
  });
});

describe('channel delivery of a reply file', () => {
  const id = report.fileId;
  const withFiles = (files: unknown) => ({ delivery: { status: 'sent', files } });

  it('reads the entry of that file from metadata.delivery.files, by file id', () => {
    const metadata = withFiles([
      { fileId: 'file_other', name: 'a.txt', status: 'failed', error: { message: 'nope' } },
      { fileId: id, name: 'report.pdf', status: 'sent', platformMessageIds: ['42'] },
    ]);
    expect(fileDeliveryOf(metadata, id)).toEqual({ tone: 'ok', text: 'Delivered to the channel' });
    expect(fileDeliveryOf(metadata, 'file_other')).toEqual({ tone: 'error', text: 'Not delivered: nope' });
  });

  it('words every status the channel delivery records, skip reasons included', () => {
    const one = (entry: Record<string, unknown>) => fileDeliveryOf(withFiles([{ fileId: id, ...entry }]), id);
    expect(one({ status: 'pending' })).toEqual({ tone: 'pending', text: 'Waiting to be sent to the channel' });
    expect(one({ status: 'retrying', error: { message: 'HTTP 502' } })).toEqual({
      tone: 'pending',
      text: 'Sending to the channel failed, will retry: HTTP 502',
    });
    expect(one({ status: 'failed' })).toEqual({ tone: 'error', text: 'Not delivered' });
    expect(one({ status: 'skipped', reason: "larger than the platform's 1024 bytes" })?.text).toBe(
      "Not delivered: larger than the platform's 1024 bytes",
    );
    expect(one({ status: 'skipped', reason: 'not_sendable' })?.text).toBe(
      'Not delivered: this channel cannot send files, so the user got its name only',
    );
    expect(one({ status: 'skipped', reason: 'file_missing' })?.text).toBe(
      'Not delivered: the file is no longer in storage',
    );
    expect(one({ status: 'something new' })).toBeUndefined();
  });

  it('says nothing for a reply that never went to a channel, or malformed metadata', () => {
    expect(fileDeliveryOf({}, id)).toBeUndefined();
    expect(fileDeliveryOf({ delivery: { status: 'sent' } }, id)).toBeUndefined();
    expect(fileDeliveryOf({ delivery: 'sent' }, id)).toBeUndefined();
    expect(fileDeliveryOf(withFiles([null, 'x', { fileId: 'file_other', status: 'sent' }]), id)).toBeUndefined();
  });
});
