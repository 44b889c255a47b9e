CREATE TABLE `custom_actions` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`spec_url` text,
	`title` text NOT NULL,
	`version` text NOT NULL,
	`servers` text NOT NULL,
	`base_url` text NOT NULL,
	`operations` text NOT NULL,
	`security_schemes` text NOT NULL,
	`selected_operations` text NOT NULL,
	`auth_info` text NOT NULL,
	`sealed_auth` text,
	`health_url` text,
	`health_status` text,
	`health_checked_at` integer,
	`health_message` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `custom_actions_team` ON `custom_actions` (`team_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `custom_actions_health` ON `custom_actions` (`health_checked_at`);--> statement-breakpoint
ALTER TABLE `chatbot_versions` ADD `actions` text DEFAULT '{}' NOT NULL;
