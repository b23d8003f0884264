-- The text of the case file, one row per page that has text, for full-text search (FTS5; drizzle
-- cannot describe virtual tables, hence this hand-written migration). `document_text` (a drizzle
-- table) says which documents are in it. unicode61 folds case in every script, Cyrillic and
-- Kazakh letters included; remove_diacritics 2 folds Latin accents (é → e). The application folds
-- ё into е itself, on the way in and in queries.
CREATE VIRTUAL TABLE `case_text` USING fts5(
  `body`,
  `case_id` UNINDEXED,
  `document_id` UNINDEXED,
  `page` UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
