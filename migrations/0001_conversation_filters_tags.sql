CREATE TABLE `conversation_tags` (
	`team_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`tag` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`conversation_id`, `tag`),
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `conversation_tags_tag` ON `conversation_tags` (`team_id`,`tag`,`conversation_id`);--> statement-breakpoint
CREATE INDEX `conversations_participant` ON `conversations` (`team_id`,`participant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversations_channel` ON `conversations` (`team_id`,`channel_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversations_status` ON `conversations` (`team_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `messages_team_created` ON `messages` (`team_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `participants_team` ON `participants` (`team_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `participants_platform` ON `participants` (`team_id`,`platform`,`created_at`);