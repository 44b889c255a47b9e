-- A data-plane shard (DB_SHARD_00…15, worker/db/shards.ts, docs/scaling.md): the same tables and indexes as the
-- control-plane database's copies of them (migrations/ 0000, 0001, 0004, 0005, 0012), without the foreign keys that
-- point at control-plane tables (teams, chatbots, versions, channels, participants), which live in `DB` and not here.
-- Foreign keys within the shard (a conversation's messages, tags and comments) are kept, with their cascades.
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`chatbot_id` text NOT NULL,
	`chatbot_version_id` text NOT NULL,
	`channel_id` text,
	`participant_id` text,
	`status` text DEFAULT 'active' NOT NULL,
	`message_count` integer DEFAULT 0 NOT NULL,
	`last_message_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conversations_team` ON `conversations` (`team_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversations_chatbot` ON `conversations` (`team_id`,`chatbot_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversations_participant` ON `conversations` (`team_id`,`participant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversations_channel` ON `conversations` (`team_id`,`channel_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversations_status` ON `conversations` (`team_id`,`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `messages` (
	`conversation_id` text NOT NULL,
	`id` text NOT NULL,
	`team_id` text NOT NULL,
	`chatbot_id` text NOT NULL,
	`position` integer NOT NULL,
	`role` text NOT NULL,
	`content` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`provider_id` text,
	`model` text,
	`input_tokens` integer,
	`output_tokens` integer,
	`finish_reason` text,
	`metadata` text NOT NULL,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	PRIMARY KEY(`conversation_id`, `id`),
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_position` ON `messages` (`conversation_id`,`position`);--> statement-breakpoint
CREATE INDEX `messages_team_day` ON `messages` (`team_id`,`chatbot_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `messages_team_created` ON `messages` (`team_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `conversation_tags` (
	`team_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`tag` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`conversation_id`, `tag`),
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `conversation_tags_tag` ON `conversation_tags` (`team_id`,`tag`,`conversation_id`);--> statement-breakpoint
CREATE TABLE `message_tags` (
	`team_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`message_id` text NOT NULL,
	`tag` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`conversation_id`, `message_id`, `tag`),
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `message_tags_tag` ON `message_tags` (`team_id`,`tag`,`conversation_id`);--> statement-breakpoint
CREATE TABLE `conversation_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`message_id` text,
	`author_type` text NOT NULL,
	`author_id` text NOT NULL,
	`author_label` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `conversation_comments_conversation` ON `conversation_comments` (`team_id`,`conversation_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `event_log` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`chatbot_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`participant_id` text,
	`trigger_id` text NOT NULL,
	`trigger_type` text NOT NULL,
	`action_type` text NOT NULL,
	`outcome` text NOT NULL,
	`error` text,
	`detail` text,
	`attempt` integer NOT NULL,
	`fired_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `event_log_team` ON `event_log` (`team_id`,`fired_at`);--> statement-breakpoint
CREATE INDEX `event_log_chatbot` ON `event_log` (`team_id`,`chatbot_id`,`fired_at`);--> statement-breakpoint
CREATE INDEX `event_log_conversation` ON `event_log` (`team_id`,`conversation_id`,`fired_at`);
