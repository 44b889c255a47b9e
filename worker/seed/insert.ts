import type { Query } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import * as schema from '../db/schema/index.ts';
import type { DemoSeed } from './demo.ts';

/** A query that can run in a D1 batch or be rendered to SQL text. */
export type SeedInsert = BatchItem<'sqlite'> & { toSQL(): Query };

/** The seed's inserts in foreign-key order, as drizzle queries (run as one D1 batch, or rendered to SQL). */
export function seedInserts(
  db: BaseSQLiteDatabase<'async', unknown, typeof schema>,
  rows: DemoSeed['rows'],
): SeedInsert[] {
  const inserts: SeedInsert[] = [
    db.insert(schema.teams).values(rows.teams),
    db.insert(schema.users).values(rows.users),
    db.insert(schema.memberships).values(rows.memberships),
    db.insert(schema.apiKeys).values(rows.apiKeys),
    db.insert(schema.chatbots).values(rows.chatbots),
    db.insert(schema.chatbotVersions).values(rows.chatbotVersions),
    db.insert(schema.widgetKeys).values(rows.widgetKeys),
  ];
  if (rows.providerCredentials.length > 0)
    inserts.push(db.insert(schema.pluginConfigs).values(rows.providerCredentials));
  return inserts;
}
