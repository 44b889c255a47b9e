import { unzipSync } from 'fflate';
import { ParseError } from './types.ts';

/**
 * Inflating limits for Office files (zip archives). The Worker has 128 MB of memory and the file itself is up to
 * 25 MB, so the parts read may inflate to at most 48 MB together and 24 MB each. Sizes are the archive's declared
 * `originalSize`, checked in fflate's filter *before* anything inflates; fflate then inflates into a buffer of exactly
 * that size, so an entry lying about its size cannot grow past it either. A zip bomb fails the document, not the Worker.
 */
export const MAX_ENTRY_BYTES = 24 * 1024 * 1024;
export const MAX_INFLATED_BYTES = 48 * 1024 * 1024;

/** The archive's entries whose names `wanted` accepts, inflated within the limits above. */
export function readZipEntries(bytes: Uint8Array, wanted: (name: string) => boolean): Map<string, string> {
  let inflated = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter(entry) {
        if (!wanted(entry.name)) return false;
        if (entry.originalSize > MAX_ENTRY_BYTES) {
          throw new ParseError(`${entry.name} inflates to ${entry.originalSize} bytes (at most ${MAX_ENTRY_BYTES})`);
        }
        inflated += entry.originalSize;
        if (inflated > MAX_INFLATED_BYTES) {
          throw new ParseError(`The archive inflates to more than ${MAX_INFLATED_BYTES} bytes: refused as a zip bomb`);
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ParseError) throw error;
    throw new ParseError(`The file is not a readable zip archive: ${error instanceof Error ? error.message : error}`);
  }
  const decoder = new TextDecoder();
  return new Map(Object.entries(files).map(([name, data]) => [name, decoder.decode(data)]));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML text with its five named entities and numeric character references decoded. */
export function xmlText(raw: string): string {
  return raw.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return safeCodePoint(Number.parseInt(name.slice(2), 16), whole);
    if (name.startsWith('#')) return safeCodePoint(Number.parseInt(name.slice(1), 10), whole);
    return ENTITIES[name] ?? whole;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

/** The value of `name="…"` in an element's attribute text. */
export function attribute(attributes: string, name: string): string | undefined {
  const match = attributes.match(new RegExp(`(?:^|\\s)${name}="([^"]*)"`));
  return match?.[1] === undefined ? undefined : xmlText(match[1]);
}

/** The numeric part of a part name (`ppt/slides/slide12.xml` → 12), to order parts as the application does. */
export function partNumber(name: string): number {
  return Number(name.match(/(\d+)\.xml$/)?.[1] ?? 0);
}
