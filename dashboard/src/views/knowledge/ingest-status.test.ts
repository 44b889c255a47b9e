import { describe, expect, it } from 'vitest';
import { anyPending, formatBytes, isPending, progressPercent } from './ingest-status';
import { MAX_UPLOAD_BYTES, uploadProblem } from './upload-check';

describe('document ingestion status', () => {
  it('polls only while a document is queued, parsing or embedding', () => {
    expect(['queued', 'parsing', 'embedding'].every((s) => isPending(s as 'queued'))).toBe(true);
    expect(isPending('ready')).toBe(false);
    expect(isPending('failed')).toBe(false);
    expect(anyPending([{ status: 'ready' }, { status: 'failed' }])).toBe(false);
    expect(anyPending([{ status: 'ready' }, { status: 'embedding' }])).toBe(true);
    expect(anyPending([])).toBe(false);
  });

  it('shows progress as a whole percentage, unknown until the document is chunked', () => {
    expect(progressPercent({ chunksDone: 0, chunksTotal: 0 })).toBeNull();
    expect(progressPercent({ chunksDone: 1, chunksTotal: 3 })).toBe(33);
    expect(progressPercent({ chunksDone: 3, chunksTotal: 3 })).toBe(100);
    // A redelivered batch may count past the total for a moment; the bar never overflows.
    expect(progressPercent({ chunksDone: 5, chunksTotal: 3 })).toBe(100);
  });

  it('formats sizes in powers of 1,024', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
    expect(formatBytes(30 * 1024 * 1024 + 1)).toBe('30 MB');
  });
});

describe('upload check', () => {
  it('refuses empty files and files over the limit, naming both sizes', () => {
    expect(uploadProblem({ size: 0 })).toBe('The file is empty.');
    expect(uploadProblem({ size: MAX_UPLOAD_BYTES })).toBeNull();
    expect(uploadProblem({ size: MAX_UPLOAD_BYTES + 1 })).toBe(
      // Both round to 25 MB: the byte counts show which is larger.
      'This file (26,214,401 bytes) is larger than the 25 MB (26,214,400 bytes) limit for one document.',
    );
    expect(uploadProblem({ size: 30 * 1024 * 1024 })).toBe(
      'This file (30 MB) is larger than the 25 MB limit for one document.',
    );
    expect(uploadProblem({ size: 2048 }, 1024)).toBe(
      'This file (2 KB) is larger than the 1 KB limit for one document.',
    );
  });
});
