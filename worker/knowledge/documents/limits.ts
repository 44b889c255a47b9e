/**
 * The largest document Parley ingests: 25 MB. Workers accept request bodies up to 100 MB (Free and Pro plans,
 * developers.cloudflare.com/workers/platform/limits), but the consumer holds the file, the parser's structures and
 * the extracted text in one 128 MB isolate, and pdf.js needs several times a PDF's size while it reads it; 25 MB
 * keeps a large PDF well inside that memory. The same cap applies to files fetched by URL.
 */
export const MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;

/** A multipart body's boundaries and part headers on top of the file itself. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
