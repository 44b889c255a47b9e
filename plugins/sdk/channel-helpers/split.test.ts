import { describe, expect, it } from 'vitest';
import { splitFormatted, splitMessage } from './split.ts';

describe('splitMessage', () => {
  it('leaves short text alone', () => {
    expect(splitMessage('  hello  ', 100)).toEqual(['hello']);
  });

  it('prefers paragraph, then line, then word boundaries and never cuts a word', () => {
    const text = `${'alpha '.repeat(10).trim()}\n\n${'beta '.repeat(10).trim()}`;
    expect(splitMessage(text, 70)).toEqual(['alpha '.repeat(10).trim(), 'beta '.repeat(10).trim()]);
    const words = 'lorem ipsum dolor sit amet '.repeat(20).trim();
    const chunks = splitMessage(words, 50);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(50);
    expect(chunks.join(' ')).toBe(words);
  });

  it('closes and reopens a code fence cut in the middle', () => {
    const code = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const chunks = splitMessage(`Intro\n\n\`\`\`ts\n${code}\n\`\`\``, 80);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks.slice(1)) {
      expect(chunk.length).toBeLessThanOrEqual(80);
      expect(chunk.startsWith('```ts\n')).toBe(true);
      expect(chunk.endsWith('```')).toBe(true);
    }
  });

  it('does not cut inside a bold span when a boundary outside exists', () => {
    const text = `${'word '.repeat(8)}**one two three four five six**`;
    const chunks = splitMessage(text, 50);
    for (const chunk of chunks) expect((chunk.match(/\*\*/g) ?? []).length % 2).toBe(0);
  });

  it('cuts a single overlong word only because it must', () => {
    expect(splitMessage('x'.repeat(40), 16).join('')).toBe('x'.repeat(40));
  });
});

describe('splitFormatted', () => {
  it('re-splits chunks that escaping pushed over the limit', () => {
    const escapeAmp = (text: string) => text.replace(/&/g, '&amp;');
    const chunks = splitFormatted('& '.repeat(100), 60, escapeAmp);
    expect(chunks.length).toBeGreaterThan(4);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(60);
    expect(chunks.join(' ').replace(/&amp;/g, '&').split(' ').length).toBe(100);
  });
});
