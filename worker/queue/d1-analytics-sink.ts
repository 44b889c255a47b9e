import { eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '../db/client.ts';
import { conversations, conversationTags, messages, messageTags } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import type { Env } from '../env.ts';
import type { AnalyticsSink, ConversationIndexRow, MessageCopy, RunTagsCopy } from '../ports/analytics-sink.ts';
import { MAX_TAGS } from '../tags/schema.ts';

/**
 * The analytics sink on D1: each team's batch goes to the team's shard (worker/db/shards.ts; `DB` when none is
 * bound) as one D1 batch, which is one atomic transaction (D1 has no interactive transactions): every row lands, or
 * none and the queue batch is retried. Idempotent: messages are upserted by (conversation, id), rows and tags are
 * insert-or-ignore, and counters are recomputed from the rows rather than incremented.
 */
export function d1AnalyticsSink(env: Env): AnalyticsSink {
  return {
    async write(batch) {
      const db = teamDatabase(env, batch.teamId);
      const statements: BatchItem<'sqlite'>[] = [
        // Rows first: a message row references its conversation's.
        ...batch.conversations.map((row) => createConversation(db, row)),
        ...batch.messages.map((row) => upsertMessage(db, row)),
        // After the message rows, which they describe.
        ...batch.tags.flatMap((tags) => addRunTags(db, batch.teamId, tags)),
        ...batch.touched.map((conversationId) => refreshCounters(db, conversationId)),
      ];
      if (statements.length > 0) await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
    },
  };
}

function upsertMessage(db: Database, row: MessageCopy) {
  const { conversationId: _c, id: _i, teamId: _t, chatbotId: _b, position: _p, createdAt: _a, ...changing } = row;
  return db
    .insert(messages)
    .values(row)
    .onConflictDoUpdate({ target: [messages.conversationId, messages.id], set: changing });
}

/** Insert-or-ignore on the primary key, so every copy (and two consumers racing) leaves exactly one row. */
function createConversation(db: Database, row: ConversationIndexRow) {
  return db.insert(conversations).values(row).onConflictDoNothing({ target: conversations.id });
}

/**
 * A run's tags, added to what the conversation and each reply carry: insert-or-ignore, so a redelivery changes
 * nothing, and only up to MAX_TAGS per conversation and per message (the tags API's bound), first tags first. Two
 * statements whatever the number of replies (tag lists travel as JSON: one bound parameter each).
 */
function addRunTags(db: Database, teamId: string, tags: RunTagsCopy): BatchItem<'sqlite'>[] {
  const now = Date.now();
  const { conversationId } = tags;
  const statements: BatchItem<'sqlite'>[] = [];
  if (tags.conversationTags.length > 0)
    statements.push(
      db
        .insert(conversationTags)
        .select(
          sql`SELECT ${teamId}, ${conversationId}, tag, ${now} FROM (
          SELECT t.value AS tag, ROW_NUMBER() OVER (ORDER BY t.key) AS n
          FROM json_each(${JSON.stringify(tags.conversationTags)}) t
          WHERE NOT EXISTS (SELECT 1 FROM ${conversationTags} x
            WHERE x.team_id = ${teamId} AND x.conversation_id = ${conversationId} AND x.tag = t.value))
        WHERE n <= ${MAX_TAGS} - (SELECT COUNT(*) FROM ${conversationTags} x
          WHERE x.team_id = ${teamId} AND x.conversation_id = ${conversationId})`,
        )
        .onConflictDoNothing(),
    );
  if (tags.messageIds.length > 0 && tags.messageTags.length > 0)
    statements.push(
      db
        .insert(messageTags)
        .select(
          sql`SELECT ${teamId}, ${conversationId}, id, tag, ${now} FROM (
          SELECT m.value AS id, t.value AS tag, ROW_NUMBER() OVER (PARTITION BY m.value ORDER BY t.key) AS n,
            (SELECT COUNT(*) FROM ${messageTags} x
              WHERE x.team_id = ${teamId} AND x.conversation_id = ${conversationId} AND x.message_id = m.value) AS held
          FROM json_each(${JSON.stringify(tags.messageIds)}) m, json_each(${JSON.stringify(tags.messageTags)}) t
          WHERE NOT EXISTS (SELECT 1 FROM ${messageTags} x
            WHERE x.team_id = ${teamId} AND x.conversation_id = ${conversationId} AND x.message_id = m.value
              AND x.tag = t.value))
        WHERE n <= ${MAX_TAGS} - held`,
        )
        .onConflictDoNothing(),
    );
  return statements;
}

function refreshCounters(db: Database, conversationId: string) {
  return db
    .update(conversations)
    .set({
      messageCount: sql`(SELECT COUNT(*) FROM ${messages} WHERE ${messages.conversationId} = ${conversationId})`,
      lastMessageAt: sql`(SELECT MAX(${messages.createdAt}) FROM ${messages} WHERE ${messages.conversationId} = ${conversationId})`,
    })
    .where(eq(conversations.id, conversationId));
}
