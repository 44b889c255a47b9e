import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { FrozenActions } from '../../custom-actions/frozen-types.ts';
import type { KnowledgePins } from '../../knowledge/pins/types.ts';
import type { AnyDefinition } from '../../pipelines/definition.ts';
import { createdAt, updatedAt } from './columns.ts';
import { teamRef } from './team-ref.ts';
import { users } from './teams.ts';

export const chatbots = sqliteTable(
  'chatbots',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** The version new conversations use; null until the first publish. */
    publishedVersionId: text('published_version_id'),
    archivedAt: integer('archived_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('chatbots_slug').on(t.teamId, t.slug), index('chatbots_team').on(t.teamId, t.createdAt)],
);

export const versionStatuses = ['draft', 'published'] as const;

/**
 * One working draft per chatbot (number 0) and immutable published snapshots (1, 2, …). The behaviour is a
 * graph of nodes so that pipelines can arrive later without a data migration.
 */
export const chatbotVersions = sqliteTable(
  'chatbot_versions',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    chatbotId: text('chatbot_id')
      .notNull()
      .references(() => chatbots.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    status: text('status', { enum: versionStatuses }).notNull(),
    note: text('note').notNull().default(''),
    definition: text('definition', { mode: 'json' }).$type<AnyDefinition>().notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    /**
     * The collections the definition references, frozen at publish (worker/knowledge/pins/): `{}` for drafts and
     * for versions that use no knowledge. Conversations copy it with the definition, so a turn searches with no D1 read.
     */
    knowledge: text('knowledge', { mode: 'json' }).$type<KnowledgePins>().notNull().default({}),
    /**
     * The custom actions the definition names, frozen at publish (worker/custom-actions/freeze.ts): each action's
     * selected operations and base URL, by action id; `{}` for drafts. Auth is not in it: it is read live.
     */
    actions: text('actions', { mode: 'json' }).$type<FrozenActions>().notNull().default({}),
  },
  // Number 0 is the draft, so this index also keeps a chatbot to one draft.
  (t) => [uniqueIndex('chatbot_versions_number').on(t.chatbotId, t.number)],
);
