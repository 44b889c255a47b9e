ALTER TABLE `chatbot_versions` ADD `knowledge` text DEFAULT '{}' NOT NULL;
