import type { conversations, messages } from '../db/schema/index.ts';

/**
 * The analytics sink port (issue 19 §1): where the queue consumer puts what conversations finished — message copies,
 * the conversation index rows they need, and the tags a pipeline run added. Implementations: the team's D1 shard
 * (worker/queue/d1-analytics-sink.ts), and the R2 NDJSON archive beside it (worker/queue/archive-sink.ts). Writes are idempotent: Queues deliver
 * at least once, so a redelivered batch must change nothing.
 */
export type MessageCopy = typeof messages.$inferInsert;

/** A conversation's index row, created if absent (a widget conversation's row comes from its first copy). */
export type ConversationIndexRow = typeof conversations.$inferInsert;

/** The tags a successful pipeline run added to a conversation and its replies (never removing one). */
export interface RunTagsCopy {
  conversationId: string;
  messageIds: string[];
  messageTags: string[];
  conversationTags: string[];
}

/** One team's part of a queue batch. */
export interface AnalyticsBatch {
  teamId: string;
  conversations: ConversationIndexRow[];
  messages: MessageCopy[];
  tags: RunTagsCopy[];
  /** Every conversation the batch touched: its counters are recomputed from the rows. */
  touched: string[];
}

export interface AnalyticsSink {
  /** Writes one team's batch, all of it or none (a throw makes Queues redeliver the whole queue batch). */
  write(batch: AnalyticsBatch): Promise<void>;
}
