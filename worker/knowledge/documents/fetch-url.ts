import type { Env } from '../../env.ts';
import { ApiError } from '../../http/errors.ts';
import { OutboundRefused, outboundFetch } from '../../security/outbound-fetch.ts';
import { MAX_DOCUMENT_BYTES } from './limits.ts';
import { readCapped, type UploadedFile } from './read-body.ts';

/** How long a page or file may take to arrive (a document is an upload, not a stream). */
const FETCH_TIMEOUT_MS = 20_000;

function unreachable(message: string): ApiError {
  return new ApiError(422, 'url_unreachable', message, [{ field: 'body.url', message }]);
}

/**
 * A document fetched from a URL on the team's behalf, through the outbound guard (no private or internal hosts when
 * deployed, redirects re-checked), bounded by MAX_DOCUMENT_BYTES like an upload. Its format is sniffed later from
 * the response's Content-Type, the URL's file name and the bytes.
 */
export async function fetchDocument(env: Env, url: string): Promise<UploadedFile> {
  let response: Response;
  try {
    response = await outboundFetch(env)(url, {
      headers: { accept: 'text/html, text/markdown, text/plain, application/pdf, */*;q=0.8' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (error) {
    if (error instanceof OutboundRefused) throw unreachable(error.message);
    throw unreachable(`Fetching the URL failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw unreachable(`The URL answered HTTP ${response.status}`);
  }
  const bytes = await readCapped(response.body, response.headers.get('content-length'), MAX_DOCUMENT_BYTES, () =>
    unreachable(`The document at the URL is larger than ${MAX_DOCUMENT_BYTES} bytes`),
  );
  if (bytes.length === 0) throw unreachable('The URL answered with an empty body');
  const path = new URL(response.url || url).pathname;
  const fileName = decodeURIComponent(path.split('/').pop() ?? '') || null;
  return { bytes, fileName, contentType: response.headers.get('content-type') };
}
