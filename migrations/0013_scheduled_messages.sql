CREATE TABLE `scheduled_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`participant_id` text NOT NULL,
	`chatbot_id` text NOT NULL,
	`prompt` text NOT NULL,
	`time_zone` text NOT NULL,
	`recurrence` text,
	`status` text NOT NULL,
	`next_due_at` integer,
	`fired_count` integer NOT NULL,
	`failed_count` integer NOT NULL,
	`attempts` integer NOT NULL,
	`last_attempt_at` integer,
	`last_outcome` text,
	`origin` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`version` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`participant_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scheduled_messages_team_status` ON `scheduled_messages` (`team_id`,`status`,`next_due_at`);--> statement-breakpoint
CREATE INDEX `scheduled_messages_chatbot` ON `scheduled_messages` (`team_id`,`chatbot_id`,`status`);--> statement-breakpoint
CREATE INDEX `scheduled_messages_due` ON `scheduled_messages` (`status`,`next_due_at`);
