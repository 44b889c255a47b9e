CREATE TABLE `mcp_servers` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`transport` text NOT NULL,
	`auth_kind` text NOT NULL,
	`sealed_auth` text,
	`allowed_tools` text NOT NULL,
	`tools_cache` text,
	`tools_refreshed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `mcp_servers_team` ON `mcp_servers` (`team_id`,`created_at`);