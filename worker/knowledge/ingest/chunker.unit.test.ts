import { describe, expect, it } from 'vitest';
import { chunkKey } from './chunk-key.ts';
import { chunkDocument } from './chunker.ts';
import { estimateTokens } from './tokens.ts';

const words = (n: number, prefix = 'w') => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');

describe('chunkDocument', () => {
  it('keeps a short text whole, with its key, tokens and ordinal', async () => {
    const [chunk, ...rest] = await chunkDocument([{ text: '  Hello world.  ' }], {
      chunkTokens: 800,
      chunkOverlap: 400,
    });
    expect(rest).toEqual([]);
    expect(chunk).toEqual({
      chunkKey: await chunkKey('Hello world.'),
      ordinal: 0,
      text: 'Hello world.',
      context: '',
      tokens: estimateTokens('Hello world.'),
    });
    expect(chunk?.chunkKey).toMatch(/^[0-9a-f]{32}$/);
  });

  it('cuts at paragraph boundaries before lines, sentences and words, and never exceeds the size', async () => {
    const paragraphs = Array.from({ length: 6 }, (_, i) => `Paragraph ${i}. ${words(30, `p${i}w`)}.`);
    const chunks = await chunkDocument([{ text: paragraphs.join('\n\n') }], { chunkTokens: 120, chunkOverlap: 0 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.tokens).toBeLessThanOrEqual(120);
      // Each chunk is whole paragraphs: it starts where one does.
      expect(chunk.text).toMatch(/^Paragraph \d\./);
    }
    expect(chunks.map((c) => c.text).join('\n\n')).toBe(paragraphs.join('\n\n'));
  });

  it('overlaps consecutive chunks by at most the overlap, and loses no text', async () => {
    const text = Array.from({ length: 200 }, (_, i) => `Sentence number ${i} is here.`).join(' ');
    const chunks = await chunkDocument([{ text }], { chunkTokens: 100, chunkOverlap: 30 });
    expect(chunks.length).toBeGreaterThan(5);
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1]?.text ?? '';
      const current = chunks[i]?.text ?? '';
      // The start of each chunk is the tail of the one before.
      const shared = current.slice(0, 20);
      expect(previous).toContain(shared);
      const overlapStart = previous.indexOf(current.split('. ')[0] ?? '');
      expect(estimateTokens(previous.slice(overlapStart))).toBeLessThanOrEqual(30 + 10);
    }
    for (let i = 0; i < 200; i++) expect(chunks.some((c) => c.text.includes(`Sentence number ${i} is`))).toBe(true);
    expect(chunks.every((c) => c.tokens <= 100)).toBe(true);
  });

  it('splits text without separators by characters, CJK counted a token per character', async () => {
    const cjk = Array.from({ length: 300 }, (_, i) => String.fromCharCode(0x4e00 + i)).join('');
    const chunks = await chunkDocument([{ text: cjk }], { chunkTokens: 100, chunkOverlap: 0 });
    expect(chunks.map((c) => c.text.length)).toEqual([100, 100, 100]);
    const long = Array.from({ length: 1000 }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('');
    const latin = await chunkDocument([{ text: long }], { chunkTokens: 100, chunkOverlap: 0 });
    expect(latin.map((c) => c.text).join('')).toBe(long);
    expect(latin.every((c) => c.tokens <= 100)).toBe(true);
    // An emoji (a surrogate pair) is never cut in half.
    const emoji = await chunkDocument([{ text: '😀'.repeat(300) }], { chunkTokens: 25, chunkOverlap: 0 });
    expect(emoji.every((c) => !/[\ud800-\udbff]$/.test(c.text))).toBe(true);
  });

  it('cuts Markdown at headings and gives each chunk its heading path, ignoring code fences', async () => {
    const text = [
      '# Guide',
      words(60, 'intro'),
      '## Install',
      words(60, 'install'),
      '```sh',
      '# not a heading',
      '```',
      '### Linux',
      words(60, 'linux'),
      '## Use',
      words(60, 'use'),
    ].join('\n\n');
    const chunks = await chunkDocument([{ text, markdown: true, context: 'Handbook' }], {
      chunkTokens: 110,
      chunkOverlap: 0,
    });
    const contextOf = (needle: string) => chunks.find((c) => c.text.includes(needle))?.context;
    expect(contextOf('intro0 ')).toBe('Handbook › Guide');
    expect(contextOf('linux30')).toBe('Handbook › Guide › Install › Linux');
    expect(contextOf('use59')).toBe('Handbook › Guide › Use');
    expect(chunks.map((c) => c.context)).not.toContain('Handbook › Guide › Install › not a heading');
    expect(chunks.find((c) => c.text.includes('# not a heading'))?.context).toBe('Handbook › Guide › Install');
    // No chunk holds two headings' text.
    for (const chunk of chunks) {
      for (const line of chunk.text.split('\n').slice(1)) expect(line).not.toMatch(/^#{1,3} [A-Z]/);
    }
  });

  it('carries page numbers, keeps sections apart and numbers ordinals across them', async () => {
    const chunks = await chunkDocument(
      [
        { text: 'First page text.', page: 1 },
        { text: 'Second page text.', page: 2 },
      ],
      { chunkTokens: 800, chunkOverlap: 400 },
    );
    expect(chunks.map((c) => [c.ordinal, c.page, c.text])).toEqual([
      [0, 1, 'First page text.'],
      [1, 2, 'Second page text.'],
    ]);
  });

  it('repeats a CSV header at the top of every chunk, rows never cut', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => `row${i},value ${i},more text here`);
    const chunks = await chunkDocument([{ text: rows.join('\n'), header: 'id,value,notes' }], {
      chunkTokens: 80,
      chunkOverlap: 0,
    });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      const [head, ...lines] = chunk.text.split('\n');
      expect(head).toBe('id,value,notes');
      for (const line of lines) expect(line).toMatch(/^row\d+,value \d+,more text here$/);
      expect(chunk.tokens).toBeLessThanOrEqual(80);
    }
  });

  it('keeps repeated text once and renumbers', async () => {
    const chunks = await chunkDocument(
      [
        { text: 'Footer text', page: 1 },
        { text: 'Body', page: 2 },
        { text: 'Footer text', page: 3 },
      ],
      { chunkTokens: 800, chunkOverlap: 0 },
    );
    expect(chunks.map((c) => [c.ordinal, c.text])).toEqual([
      [0, 'Footer text'],
      [1, 'Body'],
    ]);
  });

  it('is deterministic: the same text gives the same keys (what re-indexing diffs on)', async () => {
    const text = words(500);
    const a = await chunkDocument([{ text }], { chunkTokens: 200, chunkOverlap: 50 });
    const b = await chunkDocument([{ text }], { chunkTokens: 200, chunkOverlap: 50 });
    expect(a.map((c) => c.chunkKey)).toEqual(b.map((c) => c.chunkKey));
    // An edit at the end leaves the keys of the chunks before it unchanged.
    const edited = await chunkDocument([{ text: `${text} appended` }], { chunkTokens: 200, chunkOverlap: 50 });
    expect(edited.slice(0, -1).map((c) => c.chunkKey)).toEqual(a.slice(0, -1).map((c) => c.chunkKey));
  });
});

describe('estimateTokens', () => {
  it('is about 4 characters per token, and one per CJK character', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
    expect(estimateTokens('日本語')).toBe(3);
    expect(estimateTokens('ab日本')).toBe(3);
  });
});
