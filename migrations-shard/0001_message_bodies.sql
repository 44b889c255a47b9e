-- The shard copy of migrations/0016_message_bodies.sql (same statements: the shard's messages table is the same).
-- Message bodies leave D1 (issue 19 §2, docs/scaling.md "Message bodies"): the consumer writes content = '' and
-- metadata = '{}' from now on, plus the body's size and the rating the list filters on. Existing rows keep their
-- bodies until blankMessageBodies (worker/archive/body-blanking.ts) archives and blanks them in row-budgeted steps; their
-- rating is filled here, so the rating filter reads one column for every row.
ALTER TABLE `messages` ADD `content_bytes` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `rating` text;--> statement-breakpoint
UPDATE `messages` SET `rating` = json_extract(`metadata`, '$.feedback.rating') WHERE json_extract(`metadata`, '$.feedback.rating') IN ('up', 'down');
