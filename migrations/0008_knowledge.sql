CREATE TABLE `knowledge_collections` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`embedder_plugin_id` text NOT NULL,
	`embedding_model` text NOT NULL,
	`dimensions` integer NOT NULL,
	`chunk_tokens` integer DEFAULT 800 NOT NULL,
	`chunk_overlap` integer DEFAULT 400 NOT NULL,
	`dense_weight` real DEFAULT 0.7 NOT NULL,
	`fetch_k` integer DEFAULT 40 NOT NULL,
	`rrf_k` integer DEFAULT 60 NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`document_count` integer DEFAULT 0 NOT NULL,
	`chunk_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `knowledge_collections_team` ON `knowledge_collections` (`team_id`,`name`);--> statement-breakpoint
CREATE TABLE `knowledge_documents` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`collection_id` text NOT NULL,
	`title` text NOT NULL,
	`source` text NOT NULL,
	`source_url` text,
	`file_key` text NOT NULL,
	`content_type` text NOT NULL,
	`format` text NOT NULL,
	`bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`public` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`chunks_done` integer DEFAULT 0 NOT NULL,
	`chunks_total` integer DEFAULT 0 NOT NULL,
	`ingest_id` text NOT NULL,
	`revision` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`collection_id`) REFERENCES `knowledge_collections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `knowledge_documents_collection` ON `knowledge_documents` (`collection_id`,`created_at`);