import type { MessageCopy } from '../ports/analytics-sink.ts';

/**
 * One copy per message, the later copy's fields over the earlier's except those the first copy fixed (an upsert never
 * rewrites a row's conversation, team, chatbot, position or birth): what upserting them one by one in order left.
 * (SQLite would apply two conflicting rows of one INSERT … SELECT in order too; merging first keeps the JSON small.)
 */
export function latestCopies(copies: readonly MessageCopy[]): MessageCopy[] {
  const byKey = new Map<string, MessageCopy>();
  for (const copy of copies) {
    const key = `${copy.conversationId}\u0000${copy.id}`;
    const earlier = byKey.get(key);
    byKey.set(key, earlier ? { ...earlier, ...copy, ...fixed(earlier) } : copy);
  }
  return [...byKey.values()];
}

function fixed({ chatbotId, teamId, position, createdAt }: MessageCopy): Partial<MessageCopy> {
  return { chatbotId, teamId, position, createdAt };
}
