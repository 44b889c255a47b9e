import { describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../dashboard/src/views/knowledge/upload-check.ts';
import { MAX_DOCUMENT_BYTES } from '../worker/knowledge/documents/limits.ts';

// The dashboard may not import the Worker's values (scripts/check-ui-imports.ts), so it states the upload limit
// itself; this keeps its client-side refusal at exactly the size the API refuses with 413.
describe('the dashboard’s upload limit', () => {
  it('is the server’s MAX_DOCUMENT_BYTES', () => {
    expect(MAX_UPLOAD_BYTES).toBe(MAX_DOCUMENT_BYTES);
  });
});
