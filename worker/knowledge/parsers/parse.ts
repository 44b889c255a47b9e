import type { DocumentFormat } from '../documents/formats.ts';
import type { ParsedDocument, Parser } from './types.ts';

/**
 * The parser of each format, imported on first use, so the ingestion Worker (worker/ingest-worker.ts) evaluates only
 * the parsers of the formats it meets. The request-path Worker contains none of them (unpdf alone is ≈ 500 KB gzip):
 * scripts/check-request-path.ts fails `npm run lint` if one of its modules imports this folder.
 */
const loaders: Record<DocumentFormat, () => Promise<Parser>> = {
  pdf: async () => (await import('./pdf.ts')).parsePdf,
  docx: async () => (await import('./docx.ts')).parseDocx,
  xlsx: async () => (await import('./xlsx.ts')).parseXlsx,
  pptx: async () => (await import('./pptx.ts')).parsePptx,
  html: async () => (await import('./html.ts')).parseHtml,
  markdown: async () => (await import('./markdown.ts')).parseMarkdown,
  csv: async () => (await import('./csv.ts')).parseCsv,
  txt: async () => (await import('./plain-text.ts')).parsePlainText,
};

/** Parses a document's bytes; a ParseError (or any failure of the library) says why it cannot be read. */
export async function parseDocument(format: DocumentFormat, bytes: Uint8Array): Promise<ParsedDocument> {
  const parser = await loaders[format]();
  return parser(bytes);
}
