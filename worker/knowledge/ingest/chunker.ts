import type { TextSection } from '../parsers/types.ts';
import { chunkKey } from './chunk-key.ts';
import { estimateTokens, isDenseScript } from './tokens.ts';

export interface ChunkingSettings {
  /** Most tokens per chunk (./tokens.ts estimate), header line included. */
  chunkTokens: number;
  /** Tokens the next chunk repeats from the end of the previous one, so a sentence cut at a boundary reads whole. */
  chunkOverlap: number;
}

export interface Chunk {
  chunkKey: string;
  ordinal: number;
  text: string;
  /** The heading path (`Guide › Install › Linux`): the section's context, then the Markdown headings above the chunk. */
  context: string;
  page?: number;
  tokens: number;
}

/** Separators tried in order, coarsest first (paragraph, line, sentence, word, character), as LangChain's splitter. */
const SEPARATORS = ['\n\n', '\n', '. ', ' ', ''] as const;
const PATH_SEPARATOR = ' › ';

interface Range {
  start: number;
  end: number;
  tokens: number;
}

/**
 * Splits a parsed document into chunks: each section separately (a chunk never spans two pages, sheets, slides or
 * Markdown headings), recursively by SEPARATORS until every piece fits, then greedily merged back up to
 * `chunkTokens`, each chunk starting with up to `chunkOverlap` tokens of the previous one's end. Pieces are ranges of
 * the original text, so a chunk is a verbatim slice of it (trimmed). Chunks with the same
 * text (repeated boilerplate) are kept once: the key is the text's hash, and equal text adds nothing to retrieval.
 */
export async function chunkDocument(sections: readonly TextSection[], settings: ChunkingSettings): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  const seen = new Set<string>();
  for (const block of sections.flatMap(headingBlocks)) {
    const header = block.header?.trim() ?? '';
    const headerTokens = header ? estimateTokens(header) + 1 : 0;
    // A header so long it leaves no room is dropped rather than making every chunk oversized.
    const room = headerTokens > 0 && headerTokens < settings.chunkTokens / 2 ? settings.chunkTokens - headerTokens : 0;
    const size = room > 0 ? room : settings.chunkTokens;
    const overlap = Math.min(settings.chunkOverlap, Math.floor(size / 2));
    for (const range of mergeRanges(splitRange(block.text, 0, block.text.length, size, 0), size, overlap)) {
      const body = block.text.slice(range.start, range.end).trim();
      if (!body) continue;
      const text = room > 0 ? `${header}\n${body}` : body;
      const key = await chunkKey(text);
      if (seen.has(key)) continue;
      seen.add(key);
      chunks.push({
        chunkKey: key,
        ordinal: chunks.length,
        text,
        context: block.context ?? '',
        ...(block.page !== undefined && { page: block.page }),
        tokens: estimateTokens(text),
      });
    }
  }
  return chunks;
}

/**
 * A Markdown section cut at its headings: each heading starts a block whose context is the section's own followed by
 * the heading path (`Guide › Install › Linux`), so no chunk mixes two headings' text and each names where it is.
 * Other sections are one block with their context.
 */
function headingBlocks(section: TextSection): TextSection[] {
  const base = section.context ? [section.context] : [];
  if (!section.markdown) return [{ ...section, context: base.join(PATH_SEPARATOR) }];
  const headings = headingIndex(section.text);
  const starts = [0, ...headings.map((h) => h.offset).filter((offset) => offset > 0)];
  return starts.map((start, i) => {
    const end = starts[i + 1] ?? section.text.length;
    const path = [...base, ...headingPathAt(headings, start)];
    const { markdown: _markdown, ...rest } = section;
    return { ...rest, text: section.text.slice(start, end), context: path.join(PATH_SEPARATOR) };
  });
}

/** Pieces of text[start, end) that each fit `size` tokens; each piece keeps its trailing separator. */
function splitRange(text: string, start: number, end: number, size: number, level: number): Range[] {
  const tokens = estimateTokens(text.slice(start, end));
  if (tokens <= size) return [{ start, end, tokens }];
  const separator = SEPARATORS[level];
  if (separator === undefined || separator === '') return hardSplit(text, start, end, size);
  const segment = text.slice(start, end);
  if (!segment.includes(separator)) return splitRange(text, start, end, size, level + 1);
  const pieces: Range[] = [];
  let from = 0;
  while (from < segment.length) {
    const at = segment.indexOf(separator, from);
    const to = at === -1 ? segment.length : at + separator.length;
    pieces.push(...splitRange(text, start + from, start + to, size, level + 1));
    from = to;
  }
  return pieces;
}

/** The last resort: cut by characters (never inside a surrogate pair), counting tokens as ./tokens.ts does. */
function hardSplit(text: string, start: number, end: number, size: number): Range[] {
  const pieces: Range[] = [];
  let from = start;
  while (from < end) {
    let to = from;
    let plain = 0;
    let dense = 0;
    while (to < end) {
      const step = isHighSurrogate(text.charCodeAt(to)) ? 2 : 1;
      const isDense = isDenseScript(text.slice(to, to + step));
      const tokens = Math.ceil((plain + (isDense ? 0 : step)) / 4) + dense + (isDense ? 1 : 0);
      if (tokens > size && to > from) break;
      if (isDense) dense++;
      else plain += step;
      to += step;
    }
    pieces.push({ start: from, end: to, tokens: Math.ceil(plain / 4) + dense });
    from = to;
  }
  return pieces;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Consecutive pieces merged into chunks of at most `size` tokens, each next one re-starting ≤ `overlap` tokens back. */
function mergeRanges(pieces: readonly Range[], size: number, overlap: number): Range[] {
  const chunks: Range[] = [];
  const window: Range[] = [];
  let total = 0;
  const emit = () => {
    const first = window[0];
    const last = window.at(-1);
    if (first && last) chunks.push({ start: first.start, end: last.end, tokens: total });
  };
  for (const piece of pieces) {
    if (total + piece.tokens > size && window.length > 0) {
      emit();
      // Keep the window's tail as the next chunk's overlap, dropping from the front until it fits.
      while (window.length > 0 && (total > overlap || total + piece.tokens > size)) {
        total -= window.shift()?.tokens ?? 0;
      }
    }
    window.push(piece);
    total += piece.tokens;
  }
  emit();
  return chunks;
}

interface Heading {
  offset: number;
  level: number;
  title: string;
}

/** ATX headings (`# Title` … `###### Title`) outside fenced code blocks, with their offsets. */
function headingIndex(text: string): Heading[] {
  const headings: Heading[] = [];
  let offset = 0;
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s{0,3}(```|~~~)/.test(line)) fenced = !fenced;
    const match = fenced ? null : line.match(/^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$/);
    if (match?.[1] && match[2]) headings.push({ offset, level: match[1].length, title: cleanHeading(match[2]) });
    offset += line.length + 1;
  }
  return headings;
}

/** Inline Markdown a heading may carry (`**bold**`, `[link](url)`, `` `code` ``) reduced to its text. */
function cleanHeading(title: string): string {
  return title
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]+/g, '')
    .trim();
}

/** The heading path in force at `offset`: the last heading of each level above it, deeper ones reset by shallower. */
function headingPathAt(headings: readonly Heading[], offset: number): string[] {
  const path: Heading[] = [];
  for (const heading of headings) {
    if (heading.offset > offset) break;
    while (path.length > 0 && (path.at(-1)?.level ?? 0) >= heading.level) path.pop();
    path.push(heading);
  }
  return path.map((h) => h.title);
}
