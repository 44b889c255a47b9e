/**
 * The formats a knowledge document may have and how each is recognised on upload. It lives with the documents API,
 * not with the parsers (../parsers/): the request-path Worker imports it, and must never import a parser — parsing
 * runs in the ingestion Worker (worker/ingest-worker.ts; `npm run lint` checks it, scripts/check-request-path.ts).
 */
export const documentFormats = ['pdf', 'docx', 'xlsx', 'pptx', 'html', 'markdown', 'csv', 'txt'] as const;
export type DocumentFormat = (typeof documentFormats)[number];

/** Media types by format; the first is the canonical one stored with the document. */
const MEDIA_TYPES: Record<DocumentFormat, readonly string[]> = {
  pdf: ['application/pdf'],
  docx: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  pptx: ['application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  html: ['text/html', 'application/xhtml+xml'],
  markdown: ['text/markdown', 'text/x-markdown'],
  csv: ['text/csv', 'application/csv'],
  txt: ['text/plain'],
};

const EXTENSIONS: Record<string, DocumentFormat> = {
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
  pptx: 'pptx',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  md: 'markdown',
  markdown: 'markdown',
  csv: 'csv',
  txt: 'txt',
  text: 'txt',
};

export function mediaTypeOf(format: DocumentFormat): string {
  return MEDIA_TYPES[format][0] ?? 'application/octet-stream';
}

/** Every media type a document may be uploaded with (for the 415 answer's `details.allowed`). */
export const acceptedMediaTypes: readonly string[] = Object.values(MEDIA_TYPES).flat();

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, i) => bytes[i] === byte);
}

/**
 * The document's format from its declared media type, its file name's extension and its first bytes, in that order
 * of trust reversed: bytes that are a PDF or a zip decide between binary formats (a `.pdf` served as
 * `application/octet-stream` is still a PDF); a declared text type or extension decides between text formats; a
 * generic type (`application/octet-stream`) falls back to the extension, then to sniffing text. Null: not a format
 * Parley reads.
 */
export function detectFormat(
  contentType: string | null,
  fileName: string | null,
  head: Uint8Array,
): DocumentFormat | null {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const declared = (Object.keys(MEDIA_TYPES) as DocumentFormat[]).find((f) => MEDIA_TYPES[f].includes(mediaType));
  const extension = fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  const byName = extension ? EXTENSIONS[extension] : undefined;
  if (startsWith(head, PDF_MAGIC)) return 'pdf';
  if (startsWith(head, ZIP_MAGIC)) {
    // OOXML files are zips; which one is known from the type or the name (the archive's parts say it too, but
    // reading them needs the whole file).
    for (const candidate of [declared, byName]) {
      if (candidate === 'docx' || candidate === 'xlsx' || candidate === 'pptx') return candidate;
    }
    return null;
  }
  if (declared === 'pdf' || declared === 'docx' || declared === 'xlsx' || declared === 'pptx') return null;
  if (declared) return declared;
  if (byName && byName !== 'pdf' && byName !== 'docx' && byName !== 'xlsx' && byName !== 'pptx') return byName;
  return looksLikeText(head) ? sniffText(head) : null;
}

/** No NUL bytes and valid UTF-8 in the first bytes (a multi-byte character cut at the end is allowed). */
function looksLikeText(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
    return true;
  } catch {
    return false;
  }
}

function sniffText(head: Uint8Array): DocumentFormat {
  const start = new TextDecoder().decode(head.subarray(0, 512)).trimStart().toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'html';
  return 'txt';
}
