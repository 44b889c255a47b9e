CREATE TABLE `channel_inbound` (
	`channel_id` text NOT NULL,
	`platform_message_id` text NOT NULL,
	`team_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `platform_message_id`),
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `channel_inbound_created` ON `channel_inbound` (`created_at`);--> statement-breakpoint
CREATE TABLE `channel_threads` (
	`channel_id` text NOT NULL,
	`conversation_key` text NOT NULL,
	`team_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`participant_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `conversation_key`),
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `channel_threads_participant` ON `channel_threads` (`team_id`,`participant_id`,`updated_at`);--> statement-breakpoint
ALTER TABLE `channels` ADD `options` text DEFAULT '{}' NOT NULL;