import { and, asc, eq, gte, isNull, sql } from 'drizzle-orm';
import { messages } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import type { Env } from '../env.ts';
import type { MessageCopy } from '../ports/analytics-sink.ts';
import { r2BlobStore } from '../ports/blob-store.ts';
import { archiveObjects } from '../queue/archive-sink.ts';
import { MAX_INDEX_ERROR_BYTES } from '../queue/index-row.ts';

/**
 * Rows per step. Each row is read whole (bodies up to D1's 2 MB row limit, developers.cloudflare.com/d1/platform/
 * limits) and archived before it is blanked, so a step holds at most this many bodies in memory; three queries and
 * one R2 put per UTC day per step keep a call of many steps far below 1,000 queries per invocation.
 */
export const BLANK_STEP_ROWS = 200;

export interface BlankingStep {
  teamId: string;
  /** Rows archived and blanked by this call. */
  blanked: number;
  /** No row of the team holds a body any more: stop calling. */
  done: boolean;
}

/**
 * Takes the bodies out of a team's message rows written before migration 0016 (issue 19 §2, docs/scaling.md "Message
 * bodies"), up to `budgetRows` rows per call: each step reads the oldest rows still holding a body (`content_bytes IS
 * NULL`), writes them to the R2 archive as the consumer would have (worker/queue/archive-sink.ts: a key per content,
 * so a re-run rewrites the same objects), then sets `content = ''`, `metadata = {}`, `content_bytes`, `rating`, and
 * keeps `error` only while small — only on rows still unblanked, so a row the consumer rewrote meanwhile is left
 * alone. Idempotent: call it again until `done`; a failure between the put and the update re-archives the same bytes.
 * SQLite reuses the freed pages for new rows (the database file does not shrink).
 *
 * Run by: the operator, once per team after deploying migration 0016, from the ops routes (/api/v1/ops) or a
 * one-off script; the export reads every row correctly before, during and after (worker/conversations/export-bodies.ts).
 */
export async function blankMessageBodies(
  env: Env,
  teamId: string,
  budgetRows = Number.POSITIVE_INFINITY,
): Promise<BlankingStep> {
  const db = teamDatabase(env, teamId);
  const store = r2BlobStore(env.FILES);
  let blanked = 0;
  let after = 0;
  while (blanked < budgetRows) {
    const limit = Math.min(BLANK_STEP_ROWS, budgetRows - blanked);
    // Oldest first by the (team, created_at) index; blanked rows drop out of the filter, so `after` only skips ahead.
    const rows = await db
      .select()
      .from(messages)
      .where(and(eq(messages.teamId, teamId), gte(messages.createdAt, after), isNull(messages.contentBytes)))
      .orderBy(asc(messages.createdAt))
      .limit(limit);
    if (rows.length === 0) return { teamId, blanked, done: true };
    const copies: MessageCopy[] = rows.map(({ contentBytes: _, rating: __, ...copy }) => copy);
    for (const { key, body } of await archiveObjects(teamId, copies))
      await store.put(key, body, 'application/x-ndjson');
    const keys = JSON.stringify(rows.map((row) => [row.conversationId, row.id]));
    await db
      .update(messages)
      .set({
        // SET expressions read the row before the update (sqlite.org/lang_update.html).
        contentBytes: sql`length(CAST(${messages.content} AS BLOB))`,
        content: '',
        rating: sql`CASE WHEN json_extract(${messages.metadata}, '$.feedback.rating') IN ('up', 'down')
          THEN json_extract(${messages.metadata}, '$.feedback.rating') END`,
        metadata: {},
        error: sql`CASE WHEN length(CAST(${messages.error} AS BLOB)) <= ${MAX_INDEX_ERROR_BYTES} THEN ${messages.error} END`,
      })
      .where(
        and(
          eq(messages.teamId, teamId),
          isNull(messages.contentBytes),
          sql`(${messages.conversationId}, ${messages.id}) IN
            (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(${keys}))`,
        ),
      );
    blanked += rows.length;
    after = rows.at(-1)?.createdAt ?? after;
    if (rows.length < limit) return { teamId, blanked, done: true };
  }
  return { teamId, blanked, done: false };
}
