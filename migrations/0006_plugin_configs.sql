CREATE TABLE `plugin_configs` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`kind` text NOT NULL,
	`plugin_id` text NOT NULL,
	`name` text NOT NULL,
	`unique_key` text,
	`settings` text NOT NULL,
	`secrets` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plugin_configs_unique` ON `plugin_configs` (`team_id`,`kind`,`unique_key`);--> statement-breakpoint
CREATE INDEX `plugin_configs_team` ON `plugin_configs` (`team_id`,`kind`,`created_at`);--> statement-breakpoint
-- Existing rows move into plugin_configs with their ids, so chatbot definitions (credentialId), webhook URLs
-- (channel ids) and the sealed secrets (bound to team:<team>:<provider|channel>:<id>) keep working as they are.
INSERT INTO `plugin_configs` (`id`, `team_id`, `kind`, `plugin_id`, `name`, `unique_key`, `settings`, `secrets`, `created_at`, `updated_at`)
SELECT `id`, `team_id`, 'provider', `provider_id`, `name`, `name`, `settings`, `secrets`, `created_at`, `updated_at` FROM `provider_credentials`;--> statement-breakpoint
INSERT INTO `plugin_configs` (`id`, `team_id`, `kind`, `plugin_id`, `name`, `unique_key`, `settings`, `secrets`, `created_at`, `updated_at`)
SELECT `id`, `team_id`, 'channel', `plugin_id`, `name`, NULL, `settings`, `secrets`, `created_at`, `updated_at` FROM `channels`;--> statement-breakpoint
DROP TABLE `provider_credentials`;--> statement-breakpoint
ALTER TABLE `channels` DROP COLUMN `name`;--> statement-breakpoint
ALTER TABLE `channels` DROP COLUMN `settings`;--> statement-breakpoint
ALTER TABLE `channels` DROP COLUMN `secrets`;