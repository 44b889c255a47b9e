import type { DocumentFormat } from './formats.ts';
import type { ParsedDocument, Parser } from './types.ts';

/**
 * The parser of each format, imported on first use: the Worker's request path never evaluates a parser (unpdf alone
 * is ≈ 500 KB gzip), only the ingestion consumer, and only for the formats it meets.
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
