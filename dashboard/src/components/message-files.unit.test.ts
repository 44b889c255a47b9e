import { describe, expect, it } from 'vitest';
import { formatBytes } from '../lib/format';
import { attachmentsOf, fileBadge, fileUrl, isPreviewable } from './message-files';

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
