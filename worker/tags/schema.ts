import { z } from '@hono/zod-openapi';
import { humanText } from '../http/text.ts';

/** A tag: 1–50 letters, digits, spaces and `- _ : .`, without surrounding spaces. */
export const tagSchema = humanText()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[\p{L}\p{N} _:.-]+$/u, 'only letters, digits, spaces and - _ : . are allowed')
  .openapi({ example: 'lang:fr' });

/** Tags per conversation, and per message: enough for a reviewer's labels, small enough to show as chips. */
export const MAX_TAGS = 20;

/** The whole set of tags on a conversation or a message: PUT replaces it, GET returns it sorted. */
export const TagSet = z
  .object({ tags: z.array(tagSchema).max(MAX_TAGS) })
  .openapi('TagSet', { example: { tags: ['escalated', 'lang:fr'] } });

/** The set a PUT asks for, duplicates merged. */
export const uniqueTags = (tags: string[]) => [...new Set(tags)];

/**
 * SQLite's BINARY collation orders by UTF-8 bytes, which is code point order; JavaScript's default sort orders by
 * UTF-16 units, which differs past U+E000. Tags are sorted, and paged, by code point everywhere so both agree.
 */
export function compareTags(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

export const sortTags = (tags: string[]) => [...tags].sort(compareTags);
