import { describe, expect, it } from 'vitest';
import { tokenize } from './highlight';

describe('code highlighter', () => {
  it('splits code into keyword, string, number, comment and plain tokens that rejoin to the source', () => {
    const source = 'const n = 42; // answer\nreturn "a\\"b" + `t`;';
    const tokens = tokenize(source);
    expect(tokens.map((t) => t.text).join('')).toBe(source);
    expect(tokens.filter((t) => t.kind !== 'plain')).toEqual([
      { kind: 'keyword', text: 'const' },
      { kind: 'number', text: '42' },
      { kind: 'comment', text: '// answer' },
      { kind: 'keyword', text: 'return' },
      { kind: 'string', text: '"a\\"b"' },
      { kind: 'string', text: '`t`' },
    ]);
  });

  it('keeps an unterminated string or comment as one token', () => {
    expect(tokenize('/* open').map((t) => t.kind)).toEqual(['comment']);
    expect(tokenize("'abc").map((t) => t.kind)).toEqual(['string']);
  });
});
