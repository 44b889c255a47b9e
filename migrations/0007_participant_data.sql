CREATE TABLE `participant_data` (
	`team_id` text NOT NULL,
	`participant_id` text NOT NULL,
	`chatbot_id` text NOT NULL,
	`data` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`participant_id`, `chatbot_id`),
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`participant_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `participant_data_chatbot` ON `participant_data` (`team_id`,`chatbot_id`,`updated_at`);