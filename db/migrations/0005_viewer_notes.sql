CREATE TABLE `case_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`user_id` text NOT NULL,
	`document_id` text NOT NULL,
	`page` integer NOT NULL,
	`region` text,
	`text` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "case_notes_page" CHECK("case_notes"."page" >= 1)
);
--> statement-breakpoint
CREATE INDEX `case_notes_owner` ON `case_notes` (`case_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `document_text` (
	`document_id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`status` text NOT NULL,
	`pages_with_text` integer NOT NULL,
	`error` text,
	`indexed_at` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "document_text_status" CHECK(status in ('indexed', 'failed'))
);
--> statement-breakpoint
CREATE INDEX `document_text_case` ON `document_text` (`case_id`);