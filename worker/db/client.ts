import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema/index.ts';

export type Database = ReturnType<typeof drizzle<typeof schema>>;

/**
 * One drizzle client per D1 binding. Building it walks the whole schema to map relations, which showed up in the
 * request profile when every handler and helper built its own; the binding object lives as long as the isolate.
 */
const clients = new WeakMap<D1Database, Database>();

export function database(d1: D1Database): Database {
  let client = clients.get(d1);
  if (!client) {
    client = drizzle(d1, { schema });
    clients.set(d1, client);
  }
  return client;
}
