import { describe, expect, it } from 'vitest';
import { ftsMatchExpression, ftsText, MAX_QUERY_TOKENS } from './fts-query.ts';

describe('ftsMatchExpression', () => {
  it('quotes every token and joins them with spaces (FTS5 implicit AND)', () => {
    expect(ftsMatchExpression('reset the router')).toBe('"reset" "the" "router"');
  });

  it('keeps no FTS syntax from user text: operators become words, punctuation separates', () => {
    expect(ftsMatchExpression('NEAR(a b, 3)')).toBe('"NEAR" "a" "b" "3"');
    expect(ftsMatchExpression('router* OR -kettle AND ^x')).toBe('"router" "OR" "kettle" "AND" "x"');
    expect(ftsMatchExpression('"quoted" text:col')).toBe('"quoted" "text" "col"');
    expect(ftsMatchExpression("it's")).toBe('"it" "s"');
  });

  it('is null when there is no token at all', () => {
    for (const text of ['', '   ', '"', '***', '()', '-- ;']) expect(ftsMatchExpression(text), text).toBeNull();
  });

  it('drops repeated tokens (case-insensitively) and caps the number of tokens', () => {
    expect(ftsMatchExpression('Router router ROUTER')).toBe('"Router"');
    const long = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    expect(ftsMatchExpression(long)?.split(' ')).toHaveLength(MAX_QUERY_TOKENS);
  });

  it('folds accents, tonos and final sigma, and leaves other scripts’ marks alone', () => {
    expect(ftsMatchExpression('Café')).toBe('"Cafe"');
    expect(ftsMatchExpression('επαναφορά λόγος')).toBe('"επαναφορα" "λογοσ"');
    expect(ftsMatchExpression('किताब')).toBe('"किताब"');
  });

  it('turns CJK words into phrases of character pairs; one character into a prefix', () => {
    expect(ftsMatchExpression('東京タワー')).toBe('"東京 京タ タワ ワー"');
    expect(ftsMatchExpression('東京')).toBe('"東京"');
    expect(ftsMatchExpression('東')).toBe('"東"*');
    expect(ftsMatchExpression('iPhone用')).toBe('"iPhone 用"*');
    expect(ftsMatchExpression('用iPhone')).toBe('"用 iPhone"');
  });
});

describe('ftsText', () => {
  it('spells each CJK run as its pairs and leaves the rest of the text as it was (accents folded)', () => {
    expect(ftsText('東京タワーに行きました。')).toBe(' 東京 京タ タワ ワー ーに に行 行き きま まし した 。');
    expect(ftsText('Le café, 東京.')).toBe('Le cafe,  東京 .');
  });
});
