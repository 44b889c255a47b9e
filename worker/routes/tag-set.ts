import { and, notInArray, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { conversationTags, messageTags } from '../db/schema/index.ts';

type TagTable = typeof conversationTags | typeof messageTags;

/**
 * Makes the tags of one owner (a conversation, or a message) exactly `rows`: deletes the others and inserts the new
 * ones, so tags that stay keep their date. One batch is one transaction: readers see the old set or the new one,
 * never a mix.
 */
export async function replaceTagSet<T extends TagTable>(
  db: Database,
  table: T,
  owner: SQL | undefined,
  rows: T['$inferInsert'][],
): Promise<void> {
  const tags = rows.map((row) => row.tag);
  const remove = db.delete(table).where(tags.length ? and(owner, notInArray(table.tag, tags)) : owner);
  if (rows.length === 0) await remove;
  else await db.batch([remove, db.insert(table).values(rows).onConflictDoNothing()]);
}
