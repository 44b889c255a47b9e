import type { JsonObject } from '../../plugins/sdk/index.ts';
import type { MessageCopy } from '../ports/analytics-sink.ts';

/**
 * The most bytes of a message's `error` (as JSON) D1 keeps. An error is `{ code, message }`, usually a short code and
 * sentence, which the export reads without touching the archive; a provider's long error text stays in the archive
 * only, so a row's size stays bounded by its index columns.
 */
export const MAX_INDEX_ERROR_BYTES = 512;

const encoder = new TextEncoder();

/** `metadata.feedback.rating` when it is one of the ratings the list filters on, else null. */
export function ratingOf(metadata: JsonObject | undefined): 'up' | 'down' | null {
  const feedback = metadata?.feedback;
  if (!feedback || typeof feedback !== 'object' || Array.isArray(feedback)) return null;
  return feedback.rating === 'up' || feedback.rating === 'down' ? feedback.rating : null;
}

/**
 * What D1 keeps of a message copy (issue 19 §2, docs/scaling.md "Message bodies"): every index column (role, status,
 * model, tokens, times: what the Home charts, usage and the export's columns read), the body's size and the rating the
 * list filters on; `content = ''` and `metadata = {}` (the conversation object and the R2 archive hold both), and
 * `error` only while small. The archive sink gets the whole copy.
 */
export function indexRow(copy: MessageCopy): MessageCopy {
  const error =
    copy.error && encoder.encode(JSON.stringify(copy.error)).length <= MAX_INDEX_ERROR_BYTES ? copy.error : null;
  return {
    ...copy,
    content: '',
    contentBytes: encoder.encode(copy.content).length,
    error,
    metadata: {},
    rating: ratingOf(copy.metadata),
  };
}
