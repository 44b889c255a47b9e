import type { Citation } from '../../plugins/sdk/citation.ts';

/** A chat shows at most this many sources: a list longer than the answer helps nobody on a phone. */
export const MAX_CHANNEL_SOURCES = 5;
/** Titles longer than this are cut with an ellipsis (file names can run to 200 characters). */
const MAX_TITLE_CHARS = 80;
/**
 * The list may take at most this share of a platform's message: with the answer it is split off by the plugin's
 * splitter at the blank line before it (plugins/sdk/channel-helpers/split.ts prefers paragraph breaks), so it always
 * arrives whole, and formatting (escapes, entities) has room to grow it.
 */
const LIST_SHARE = 0.5;

/** The citations a message's metadata carries, keeping only well-formed ones (metadata is JSON from storage). */
export function citationsOf(metadata: unknown): Citation[] {
  const list = (metadata as { citations?: unknown } | null)?.citations;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (c): c is Citation =>
      typeof c === 'object' &&
      c !== null &&
      Number.isInteger((c as Citation).n) &&
      typeof (c as Citation).title === 'string' &&
      ((c as Citation).page === undefined || Number.isInteger((c as Citation).page)) &&
      ((c as Citation).url === undefined || typeof (c as Citation).url === 'string'),
  );
}

/** Only links a chat can open: relative download links mean nothing outside the widget. */
function absoluteUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function shortTitle(title: string, max: number): string {
  const clean = title.replace(/\s+/g, ' ').trim() || 'Untitled';
  return clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean;
}

/** Fewer title characters than this say nothing: the line is left out instead. */
const MIN_TITLE_CHARS = 8;

/** `[1] Title, p. 3 – https://…`; without its link, then with a shorter title, when it would outgrow `budget`. */
function sourceLine(citation: Citation, budget: number): string | null {
  const number = `[${citation.n}] `;
  const page = citation.page ? `, p. ${citation.page}` : '';
  const url = absoluteUrl(citation.url);
  const label = (max: number) => `${number}${shortTitle(citation.title, max)}${page}`;
  const withUrl = url ? `${label(MAX_TITLE_CHARS)} – ${url}` : null;
  if (withUrl && withUrl.length <= budget) return withUrl;
  const titleRoom = Math.min(MAX_TITLE_CHARS, budget - number.length - page.length);
  return titleRoom >= MIN_TITLE_CHARS ? label(titleRoom) : null;
}

/**
 * The short source list a messaging channel appends to a reply that cites documents: "Sources:" then one line per
 * citation in number order (each number once), at most MAX_CHANNEL_SOURCES, within a share of the platform's
 * message length. Null when there is nothing to list.
 */
export function sourceList(citations: readonly Citation[], maxMessageLength: number): string | null {
  const budget = Math.floor(maxMessageLength * LIST_SHARE);
  const byNumber = new Map<number, Citation>();
  for (const citation of [...citations].sort((a, b) => a.n - b.n)) {
    if (!byNumber.has(citation.n)) byNumber.set(citation.n, citation);
  }
  let list = 'Sources:';
  for (const citation of [...byNumber.values()].slice(0, MAX_CHANNEL_SOURCES)) {
    const line = sourceLine(citation, budget - list.length - 1);
    if (!line) break;
    list += `\n${line}`;
  }
  return list === 'Sources:' ? null : list;
}

/** The reply as a chat receives it: the answer, a blank line, its source list (when it cites anything). */
export function withSourceList(text: string, metadata: unknown, maxMessageLength: number): string {
  const list = sourceList(citationsOf(metadata), maxMessageLength);
  return list ? `${text.trimEnd()}\n\n${list}` : text;
}
