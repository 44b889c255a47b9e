import { text } from 'drizzle-orm/sqlite-core';
import { teams } from './teams.ts';

/** `team_id`, the column every tenant-owned row carries: deleting a team deletes its rows. */
export const teamRef = () =>
  text('team_id')
    .notNull()
    .references(() => teams.id, { onDelete: 'cascade' });
