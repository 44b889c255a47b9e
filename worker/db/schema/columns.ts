import { integer } from 'drizzle-orm/sqlite-core';

/** Milliseconds since the Unix epoch. Integers sort and compare cheaply and survive JSON unchanged. */
export const createdAt = () => integer('created_at').notNull();
export const updatedAt = () => integer('updated_at').notNull();
