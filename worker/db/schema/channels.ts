import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { chatbots } from './chatbots.ts';
import { createdAt, updatedAt } from './columns.ts';
import { teamRef } from './team-ref.ts';

/**
 * A chatbot reachable through one channel plugin (a Telegram bot, a WhatsApp number, …). Its name and plugin
 * settings are the plugin configuration with the same id (plugin_configs, kind `channel`); this row binds it to a
 * chatbot with the core's options.
 */
export const channels = sqliteTable(
  'channels',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    chatbotId: text('chatbot_id')
      .notNull()
      .references(() => chatbots.id, { onDelete: 'cascade' }),
    /** The same as its configuration's; kept here for the webhook path, which reads this row first. */
    pluginId: text('plugin_id').notNull(),
    /** Core behaviour of the channel, whatever its plugin (worker/channels/options.ts). */
    options: text('options', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('channels_team').on(t.teamId, t.chatbotId)],
);

/**
 * Which conversation a platform chat (Telegram chat, WhatsApp number, Slack thread …) is currently in. Unique per
 * channel and key, so concurrent first messages from one chat agree on one conversation (INSERT … ON CONFLICT DO
 * NOTHING, then read back: D1 has no interactive transactions).
 */
export const channelThreads = sqliteTable(
  'channel_threads',
  {
    channelId: text('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    conversationKey: text('conversation_key').notNull(),
    teamId: teamRef(),
    conversationId: text('conversation_id').notNull(),
    /** Who the chat belongs to (the trigger API finds a participant's chat by it); null for group chats. */
    participantId: text('participant_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.channelId, t.conversationKey] }),
    index('channel_threads_participant').on(t.teamId, t.participantId, t.updatedAt),
  ],
);

/**
 * Every platform message id a channel accepted, and the conversation it went to. Platforms retry and duplicate
 * deliveries; the first delivery claims the id, later ones find it and are sent to the same conversation, where
 * the message's clientMessageId makes them no-ops.
 */
export const channelInbound = sqliteTable(
  'channel_inbound',
  {
    channelId: text('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    platformMessageId: text('platform_message_id').notNull(),
    teamId: teamRef(),
    conversationId: text('conversation_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.channelId, t.platformMessageId] }),
    index('channel_inbound_created').on(t.createdAt),
  ],
);
