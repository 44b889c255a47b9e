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
	`fired_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `event_log_team` ON `event_log` (`team_id`,`fired_at`);--> statement-breakpoint
CREATE INDEX `event_log_chatbot` ON `event_log` (`team_id`,`chatbot_id`,`fired_at`);--> statement-breakpoint
CREATE INDEX `event_log_conversation` ON `event_log` (`team_id`,`conversation_id`,`fired_at`);
