/**
 * What the drop zone refuses before sending a byte: empty files and files over the server's limit. The server checks
 * again (413), and decides the format itself (415 names the formats it reads): a text file without a known extension
 * is still sniffed as text there, so the dashboard does not second-guess extensions.
 */
import { formatBytes } from './ingest-status';

/**
 * The server's limit, MAX_DOCUMENT_BYTES in worker/knowledge/documents/limits.ts (25 MB; docs/knowledge.md#limits).
 * The UI may not import the Worker's values, so test/knowledge-dashboard-limits.test.ts keeps the two equal.
 */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** The file picker's hint: extensions of the formats Parley parses (worker/knowledge/parsers/formats.ts). */
export const ACCEPT_HINT = '.pdf,.docx,.xlsx,.pptx,.html,.htm,.xhtml,.md,.markdown,.csv,.txt,.text';

const bytes = new Intl.NumberFormat('en');

/** Why a file cannot be uploaded, or null when it may be. */
export function uploadProblem(file: { size: number }, limit = MAX_UPLOAD_BYTES): string | null {
  if (file.size === 0) return 'The file is empty.';
  if (file.size > limit) {
    // Just over the limit both round to "25 MB": then the byte counts say which is larger.
    const [size, max] = [formatBytes(file.size), formatBytes(limit)];
    const [shown, limitShown] =
      size === max ? [`${bytes.format(file.size)} bytes`, `${max} (${bytes.format(limit)} bytes)`] : [size, max];
    return `This file (${shown}) is larger than the ${limitShown} limit for one document.`;
  }
  return null;
}
