import type { ConversationComment } from '../../../../worker/conversations/comments.ts';
import { getAll } from '../../lib/get-all';

export type Comment = ConversationComment;

export const commentsPath = (conversationId: string) => `/api/v1/conversations/${conversationId}/comments`;

/** Every comment on a conversation, oldest first (the API pages newest first), for the transcript to place. */
export async function loadComments(conversationId: string, signal: AbortSignal): Promise<Comment[]> {
  return (await getAll<Comment>(commentsPath(conversationId), { signal })).reverse();
}
