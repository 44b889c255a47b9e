import { getAll } from '../../lib/get-all';

export interface Comment {
  id: string;
  messageId: string | null;
  author: { type: 'user' | 'api_key'; id: string; label: string };
  body: string;
  createdAt: string;
}

export const commentsPath = (conversationId: string) => `/api/v1/conversations/${conversationId}/comments`;

/** Every comment on a conversation, oldest first (the API pages newest first), for the transcript to place. */
export async function loadComments(conversationId: string, signal: AbortSignal): Promise<Comment[]> {
  return (await getAll<Comment>(commentsPath(conversationId), { signal })).reverse();
}
