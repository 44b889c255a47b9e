/**
 * A source a reply used: one chunk of a knowledge document. Replies carry their citations in
 * `message.metadata.citations` (in `message.completed`, the transcript, exports); the widget renders them as numbered
 * references and messaging channels append them as a short source list.
 */
export interface Citation {
  /** The number the reply refers to it by (`[1]`), 1-based and stable within a run. */
  n: number;
  collectionId: string;
  documentId: string;
  /** The document's title (its file name or page title). */
  title: string;
  chunkKey: string;
  /** The chunk's position in its document, from 0. */
  ordinal: number;
  /** 1-based page, where the format has pages (PDF). */
  page?: number;
  /**
   * Where a reader can open the source: the page of a document added by URL, or a download link for a file the admin
   * marked public. Absent for private files.
   */
  url?: string;
  /** The first characters of the chunk, for a hover or a source list. */
  snippet: string;
}

/** How many characters of a chunk a citation's `snippet` keeps. */
export const CITATION_SNIPPET_CHARS = 200;
