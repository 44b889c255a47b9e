ALTER TABLE `teams` ADD `deleted_at` integer;--> statement-breakpoint
CREATE INDEX `teams_deleted` ON `teams` (`deleted_at`) WHERE "teams"."deleted_at" IS NOT NULL;