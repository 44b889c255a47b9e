ALTER TABLE `knowledge_collections` ADD `reranker` text;
