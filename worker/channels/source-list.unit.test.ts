import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../plugins/sdk/channel-helpers/split.ts';
import type { Citation } from '../../plugins/sdk/citation.ts';
import { citationsOf, MAX_CHANNEL_SOURCES, sourceList, withSourceList } from './source-list.ts';

const citation = (n: number, extra: Partial<Citation> = {}): Citation => ({
  n,
  collectionId: 'kcol_1',
  documentId: `kdoc_${n}`,
  title: `Guide ${n}`,
  chunkKey: `k${n}`,
  ordinal: 0,
  snippet: 'Run the installer.',
  ...extra,
});

describe('the source list a messaging channel appends', () => {
  it('lists title, page and absolute link in number order, each number once, skipping relative links', () => {
    const list = sourceList(
      [
        citation(2, { url: '/api/v1/knowledge/public-files/kdoc_2?t=abc' }),
        citation(1, { page: 3, url: 'https://example.com/guide.pdf' }),
        citation(2, { title: 'Duplicate' }),
        citation(3, { url: 'javascript:alert(1)' }),
      ],
      4096,
    );
    expect(list).toBe('Sources:\n[1] Guide 1, p. 3 – https://example.com/guide.pdf\n[2] Guide 2\n[3] Guide 3');
  });

  it('keeps at most five sources and nothing when there are none', () => {
    const list = sourceList(
      Array.from({ length: 8 }, (_, i) => citation(i + 1)),
      4096,
    );
    expect(list?.split('\n')).toHaveLength(1 + MAX_CHANNEL_SOURCES);
    expect(list).not.toContain('[6]');
    expect(sourceList([], 4096)).toBeNull();
  });

  it('cuts long titles and fits a short platform limit, dropping a link before it breaks one', () => {
    const longTitle = 'A very long handbook title '.repeat(10);
    const url = `https://example.com/${'x'.repeat(120)}`;
    const list = sourceList([citation(1, { title: longTitle, url }), citation(2, { url })], 160) ?? '';
    expect(list.length).toBeLessThanOrEqual(80);
    expect(list).toContain('…');
    // A link is all or nothing: never a cut URL.
    expect(list).not.toContain('https://example.com/x');
    const roomy = sourceList([citation(1, { url })], 4096) ?? '';
    expect(roomy).toContain(url);
  });

  it('appends after a blank line, so a long answer splits before the list and the list arrives whole', () => {
    const answer = Array.from({ length: 700 }, (_, i) => `word${i}`).join(' ');
    const metadata = { citations: [citation(1, { url: 'https://example.com/a' }), citation(2, { page: 7 })] };
    const text = withSourceList(answer, metadata, 4096);
    expect(text.startsWith(`${answer}\n\nSources:\n[1] Guide 1 – https://example.com/a`)).toBe(true);
    const parts = splitMessage(text, 4096);
    expect(parts.at(-1)).toContain('Sources:\n[1] Guide 1 – https://example.com/a\n[2] Guide 2, p. 7');
    expect(withSourceList('Hello', {}, 4096)).toBe('Hello');
  });

  it('reads only well-formed citations from stored metadata', () => {
    expect(citationsOf({ citations: [citation(1), { n: 'x', title: 'bad' }, null, { n: 2 }] })).toHaveLength(1);
    expect(citationsOf({ citations: 'nope' })).toEqual([]);
    expect(citationsOf(null)).toEqual([]);
  });
});
