CREATE TABLE `knowledge_ingest_batches` (
	`team_id` text NOT NULL,
	`document_id` text NOT NULL,
	`ingest_id` text NOT NULL,
	`batch` integer NOT NULL,
	`chunks` integer NOT NULL,
	PRIMARY KEY(`ingest_id`, `batch`),
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_id`) REFERENCES `knowledge_documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `knowledge_ingest_batches_document` ON `knowledge_ingest_batches` (`document_id`);--> statement-breakpoint
ALTER TABLE `knowledge_collections` ADD `next_revision` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `knowledge_documents` ADD `pending_revision` integer;--> statement-breakpoint
ALTER TABLE `knowledge_documents` ADD `batch_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `knowledge_documents` ADD `chunks_reused` integer DEFAULT 0 NOT NULL;