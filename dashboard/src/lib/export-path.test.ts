import { describe, expect, it } from 'vitest';
import { exportPath } from './export-path';

describe('exportPath', () => {
  it('keeps the list filters and drops paging', () => {
    expect(exportPath('/api/v1/conversations?tag=needs%20review&cursor=abc&limit=25', 'csv')).toBe(
      '/api/v1/conversations/export?tag=needs+review&format=csv',
    );
    expect(exportPath('/api/v1/conversations', 'jsonl')).toBe('/api/v1/conversations/export?format=jsonl');
  });
});
