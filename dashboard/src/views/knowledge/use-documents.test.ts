import { describe, expect, it } from 'vitest';
import type { KnowledgeDocument } from './api';
import { mergeDocuments } from './use-documents';

const doc = (id: string, createdAt: string, status: KnowledgeDocument['status'] = 'ready') =>
  ({ id, createdAt, status }) as KnowledgeDocument;

describe('mergeDocuments', () => {
  it('replaces re-read documents and keeps older pages below them', () => {
    const current = [doc('c', '03', 'embedding'), doc('b', '02'), doc('a', '01')];
    const fresh = [doc('d', '04', 'queued'), doc('c', '03', 'ready')];
    expect(mergeDocuments(current, fresh).map((d) => [d.id, d.status])).toEqual([
      ['d', 'queued'],
      ['c', 'ready'],
      ['b', 'ready'],
      ['a', 'ready'],
    ]);
  });

  it('drops a document deleted since (newer than the oldest re-read one, but no longer listed)', () => {
    const current = [doc('c', '03'), doc('b', '02'), doc('a', '01')];
    const fresh = [doc('c', '03'), doc('a', '01')];
    expect(mergeDocuments(current, fresh).map((d) => d.id)).toEqual(['c', 'a']);
  });

  it('empties the list when nothing is left', () => {
    expect(mergeDocuments([doc('a', '01')], [])).toEqual([]);
  });
});
