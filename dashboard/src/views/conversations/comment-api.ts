import { get, type Page } from '../../lib/http';

export interface Comment {
  id: string;
  messageId: string | null;
  author: { type: 'user' | 'api_key'; id: string; label: string };
  body: string;
  createdAt: string;
}

export const commentsPath = (conversationId: string) => `/api/v1/conversations/${conversationId}/comments`;

/**
 * Every comment on a conversation, oldest first, for the transcript to place each under its message. Notes per
 * conversation are few; the cap only keeps a pathological one from loading forever (100 per page is the API maximum).
 */
const MAX_PAGES = 20;

export async function loadComments(conversationId: string, signal: AbortSignal): Promise<Comment[]> {
  const all: Comment[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page: Page<Comment> = await get<Page<Comment>>(`${commentsPath(conversationId)}?limit=100${query}`, {
      signal,
    });
    all.push(...page.data);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return all.reverse();
}
