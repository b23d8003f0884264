-- The search index rebuilt with one range of row ids per case: a page's row id is
-- key × 2^32 + volume × 2^16 + sheet, the key being the case's in `case_text_keys`, so a search
-- seeks to its case and reads the matches already in case-file order. The text is read again:
-- with `document_text` empty, the server indexes every document at its next start.
DROP TABLE `case_text`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `case_text` USING fts5(
  `body`,
  `document_id` UNINDEXED,
  `page` UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
DELETE FROM `document_text`;
