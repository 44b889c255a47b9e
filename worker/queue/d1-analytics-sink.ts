import { and, eq, getTableColumns, inArray, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '../db/client.ts';
import { conversations, conversationTags, messages, messageTags } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import type { Env } from '../env.ts';
import type { AnalyticsSink, ConversationIndexRow, MessageCopy, RunTagsCopy } from '../ports/analytics-sink.ts';
import { MAX_TAGS } from '../tags/schema.ts';
import { indexRow } from './index-row.ts';
import { chunkRows, jsonRowsSelect } from './json-rows.ts';
import { latestCopies } from './latest-copies.ts';

/**
 * The analytics sink on D1: each team's batch goes to the team's shard (worker/db/shards.ts; `DB` when none is
 * bound) as one D1 batch, which is one atomic transaction (D1 has no interactive transactions): every row lands, or
 * none and the queue batch is retried. Idempotent: messages are upserted by (conversation, id), rows and tags are
 * insert-or-ignore, and counters are recomputed from the rows rather than incremented.
 *
 * Set-based (issue 19 §3): a shard serves ≈ 1,000 queries/s (docs/scaling.md), so the statement count must not grow
 * with the batch. Whatever its size, a team's batch is one INSERT … SELECT for the conversation rows, one upsert for
 * all message copies (more only past MAX_JSON_BYTES of JSON, worker/queue/json-rows.ts), one UPDATE recomputing the
 * counters of every touched conversation, and two statements per run's tags (only when a run added some).
 *
 * Bodies stay out (issue 19 §2): a message row is its index columns, `content = ''` and `metadata = {}` (indexRow).
 */
export function d1AnalyticsSink(env: Env): AnalyticsSink {
  return {
    async write(batch) {
      const db = teamDatabase(env, batch.teamId);
      const statements: BatchItem<'sqlite'>[] = [
        // Rows first: a message row references its conversation's.
        ...chunkRows(batch.conversations).map((rows) => createConversations(db, rows)),
        // Index rows only: bodies go to the archive (worker/queue/index-row.ts, docs/scaling.md "Message bodies").
        ...chunkRows(latestCopies(batch.messages).map(indexRow)).map((rows) => upsertMessages(db, rows)),
        // After the message rows, which they describe.
        ...batch.tags.flatMap((tags) => addRunTags(db, batch.teamId, tags)),
        ...(batch.touched.length > 0 ? [refreshCounters(db, batch.teamId, batch.touched)] : []),
      ];
      if (statements.length > 0) await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
    },
  };
}

/** Written once, by the copy that inserts the row: a message keeps its conversation, team, position and birth. */
const FIXED: ReadonlySet<string> = new Set(['conversationId', 'id', 'teamId', 'chatbotId', 'position', 'createdAt']);

/** Every other column takes the copy's value, as one upsert per copy did (a copy carries every field). */
const CHANGING = Object.fromEntries(
  Object.entries(getTableColumns(messages))
    .filter(([key]) => !FIXED.has(key))
    .map(([key, column]) => [key, sql.raw(`excluded.${column.name}`)]),
) as Partial<Record<keyof MessageCopy, SQL>>;

function upsertMessages(db: Database, rows: readonly MessageCopy[]) {
  return db
    .insert(messages)
    .select(jsonRowsSelect(messages, rows))
    .onConflictDoUpdate({ target: [messages.conversationId, messages.id], set: CHANGING });
}

/** Insert-or-ignore on the primary key, so every copy (and two consumers racing) leaves exactly one row. */
function createConversations(db: Database, rows: readonly ConversationIndexRow[]) {
  return db
    .insert(conversations)
    .select(jsonRowsSelect(conversations, rows))
    .onConflictDoNothing({ target: conversations.id });
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

/**
 * The counters of every touched conversation, recomputed from its rows (so a redelivery changes nothing), in one
 * statement: the ids travel as one JSON parameter.
 */
function refreshCounters(db: Database, teamId: string, conversationIds: readonly string[]) {
  return db
    .update(conversations)
    .set({
      messageCount: sql`(SELECT COUNT(*) FROM ${messages} WHERE ${messages.conversationId} = ${conversations.id})`,
      lastMessageAt: sql`(SELECT MAX(${messages.createdAt}) FROM ${messages} WHERE ${messages.conversationId} = ${conversations.id})`,
    })
    .where(
      and(
        eq(conversations.teamId, teamId),
        inArray(conversations.id, sql`(SELECT value FROM json_each(${JSON.stringify(conversationIds)}))`),
      ),
    );
}
