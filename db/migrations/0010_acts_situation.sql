CREATE TABLE `judicial_acts` (
	`id` text PRIMARY KEY NOT NULL,
	`text_key` integer NOT NULL,
	`case_id` text NOT NULL,
	`document_id` text NOT NULL,
	`hearing_id` text,
	`court_id` text NOT NULL,
	`judge_id` text NOT NULL,
	`kind` text NOT NULL,
	`outcome` text NOT NULL,
	`act_date` text NOT NULL,
	`articles` text NOT NULL,
	`article_keys` text NOT NULL,
	`marked_by` text NOT NULL,
	`marked_at` integer NOT NULL,
	`indexed_at` integer,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hearing_id`) REFERENCES `hearings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`court_id`) REFERENCES `courts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`judge_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`marked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "judicial_acts_kind" CHECK(kind in ('verdict', 'ruling', 'decision')),
	CONSTRAINT "judicial_acts_outcome" CHECK(outcome in ('conviction', 'acquittal', 'termination', 'returned', 'other'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `judicial_acts_text_key_unique` ON `judicial_acts` (`text_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `judicial_acts_document_id_unique` ON `judicial_acts` (`document_id`);--> statement-breakpoint
CREATE INDEX `judicial_acts_court_date` ON `judicial_acts` (`court_id`,`act_date`);--> statement-breakpoint
CREATE INDEX `judicial_acts_case` ON `judicial_acts` (`case_id`);--> statement-breakpoint
CREATE INDEX `judicial_acts_judge` ON `judicial_acts` (`judge_id`);--> statement-breakpoint
CREATE INDEX `judicial_acts_pending` ON `judicial_acts` (`indexed_at`);--> statement-breakpoint
-- The text of judicial acts for full-text search (FTS5; drizzle cannot describe virtual tables):
-- `body` as written, `public_body` depersonalised (server/src/acts/depersonalise.ts), and `tags`,
-- the act's facts as tokens (court, judge, articles, outcome, kind, year/month/day), so search
-- filters are doclist intersections inside FTS5 rather than a lookup per match. The row id is
-- `judicial_acts.text_key`. unicode61 folds case in Cyrillic and Kazakh letters alike.
CREATE VIRTUAL TABLE `acts_text` USING fts5(
  `body`,
  `public_body`,
  `tags`,
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
-- The situation centre counts receipts per court and period, open cases per judge and category,
-- and runs the deadline engine over every open case: covering indexes (the case's id included,
-- for the joins), so the aggregates never read the wide `cases` rows. Not declared in the drizzle
-- schema's tables (kept here so the block stays in one migration).
CREATE INDEX `cases_court_received` ON `cases` (`court_id`, `received_at`, `category`, `id`);
--> statement-breakpoint
CREATE INDEX `cases_court_status_cover` ON `cases` (`court_id`, `status`, `received_at`, `category`, `id`);
--> statement-breakpoint
CREATE INDEX `case_staff_case_role` ON `case_staff` (`case_id`, `role`, `user_id`);
--> statement-breakpoint
-- Hearings in session now; and a case's first opened hearing read from the index alone.
CREATE INDEX `hearings_status` ON `hearings` (`status`);
--> statement-breakpoint
CREATE INDEX `hearings_case_status_time` ON `hearings` (`case_id`, `status`, `scheduled_at`);
--> statement-breakpoint
-- Defendants in custody (the custody time limit), a small partial index.
CREATE INDEX `case_participants_custody` ON `case_participants` (`case_id`) WHERE `role` = 'defendant' AND `in_custody` = 1;
