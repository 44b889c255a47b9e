/**
 * What a parser hands the chunker: the document's text in sections. A section is the unit the chunker never crosses
 * (a PDF page, a spreadsheet's sheet, a slide), so each chunk has one page and one sheet.
 */
export interface TextSection {
  text: string;
  /** 1-based page number, for formats with pages (PDF). */
  page?: number;
  /** Where the section sits (`Sheet: Customers`, `Slide 3`): the start of every chunk's heading path. */
  context?: string;
  /** A line repeated at the top of every chunk of the section: a CSV sheet's header row, so each chunk reads alone. */
  header?: string;
  /** Markdown text: `#` headings become each chunk's heading path (Markdown, HTML and DOCX converted to it). */
  markdown?: boolean;
}

export interface ParsedDocument {
  sections: TextSection[];
}

/** The document cannot be read (corrupt, encrypted, a zip bomb, no text): the document fails with this message. */
export class ParseError extends Error {
  override name = 'ParseError';
}

export type Parser = (bytes: Uint8Array) => Promise<ParsedDocument>;
