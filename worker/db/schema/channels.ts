import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { chatbots } from './chatbots.ts';
import { createdAt, updatedAt } from './columns.ts';
import { teamRef } from './team-ref.ts';

/** A chatbot reachable through one channel plugin (a Telegram bot, a WhatsApp number, …). */
export const channels = sqliteTable(
  'channels',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    chatbotId: text('chatbot_id')
      .notNull()
      .references(() => chatbots.id, { onDelete: 'cascade' }),
    pluginId: text('plugin_id').notNull(),
    name: text('name').notNull(),
    settings: text('settings', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** AES-GCM ciphertext of the plugin's secret settings (tokens, signing secrets). */
    secrets: text('secrets').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('channels_team').on(t.teamId, t.chatbotId)],
);
