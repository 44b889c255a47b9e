import { describe, expect, it } from 'vitest';
import { runRerankerContract } from '../../sdk/contracts/reranker.contract.ts';
import { fakeClock } from '../../sdk/testing/fakes.ts';
import { offlineReranker } from './index.ts';

const context = (signal: AbortSignal = new AbortController().signal) => ({
  settings: {},
  fetch: () => Promise.reject(new Error('the offline re-ranker makes no HTTP requests')),
  clock: fakeClock(),
  signal,
});

runRerankerContract(offlineReranker, {
  label: 'offline-reranker',
  context: ({ signal, clock }) => ({ ...context(signal), clock }),
  deterministic: true,
  ranksFixture: true,
  abortable: false,
});

const rank = (query: string, documents: string[]) =>
  offlineReranker.rerank(context(), { model: 'bm25', query, documents, topN: documents.length });

describe('offline re-ranker', () => {
  it('weighs a rare word above a common one', async () => {
    const results = await rank('router reset', [
      'reset the password, reset the account, reset everything',
      'the router has a reset button',
      'reset your preferences',
    ]);
    expect(results[0]?.index).toBe(1);
  });

  it('matches across accents, case and Greek final sigma, as keyword search does', async () => {
    const results = await rank('CAFÉ λόγος', ['tea house', 'the cafe and its λογοσ', 'coffee']);
    expect(results[0]?.index).toBe(1);
    expect(results[0]?.score).toBeGreaterThan(0);
    expect(results[1]?.score).toBe(0);
  });

  it('scores ASCII and accented spellings alike whichever side is ASCII (the fast path folds the same)', async () => {
    const asciiQuery = await rank('Cafe opening', ['Le Café opening hours', 'le cafe opening hours']);
    expect(asciiQuery[0]?.score).toBe(asciiQuery[1]?.score);
    const accentedQuery = await rank('Café opening', ['Le Cafe opening hours', 'le café opening hours']);
    expect(accentedQuery[0]?.score).toBe(accentedQuery[1]?.score);
    expect(accentedQuery[0]?.score).toBeGreaterThan(0);
  });

  it('finds a CJK word inside a run written without spaces', async () => {
    const results = await rank('東京', ['大阪に行きました', '東京タワーに行きました']);
    expect(results.map((result) => result.index)).toEqual([1, 0]);
  });

  it('keeps input order among documents with the same score', async () => {
    const results = await rank('nothing matches', ['alpha', 'beta', 'gamma']);
    expect(results).toEqual([
      { index: 0, score: 0 },
      { index: 1, score: 0 },
      { index: 2, score: 0 },
    ]);
  });
});
