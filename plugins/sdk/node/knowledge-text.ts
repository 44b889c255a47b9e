import type { RetrievedChunk } from './services.ts';

/**
 * Retrieved chunks as the text a model (or a template) reads: per chunk a `[n] Title › heading (page p)` line, then
 * its text. Each chunk is cut to `maxCharsEach` when given (a tool result is capped at 16,000 characters by the host:
 * worker/conversation/tool-runner.ts).
 */
export function sourcesText(chunks: readonly RetrievedChunk[], maxCharsEach?: number): string {
  return chunks
    .map((chunk) => {
      const where = [chunk.documentTitle, chunk.context].filter((part) => part !== '').join(' › ');
      const page = chunk.page === undefined ? '' : ` (page ${chunk.page})`;
      const text =
        maxCharsEach !== undefined && chunk.text.length > maxCharsEach
          ? `${chunk.text.slice(0, maxCharsEach)}…`
          : chunk.text;
      return `[${chunk.n}] ${where}${page}\n${text}`;
    })
    .join('\n\n');
}

/** What a model is told when its answer should cite the sources it was given by number. */
export const CITE_BY_NUMBER =
  'When you use a source, cite it by its number in square brackets, like [1]. Cite only the numbers given above. ' +
  'If the sources do not answer the question, say so.';
