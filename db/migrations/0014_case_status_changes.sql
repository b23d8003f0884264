CREATE TABLE `case_status_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` text NOT NULL,
	`at` integer NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`since` integer NOT NULL,
	`reason` text,
	`hearing_id` text,
	`event_version` integer,
	`actor_user_id` text,
	`actor_name` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hearing_id`) REFERENCES `hearings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "case_status_changes_from" CHECK(from_status in ('received', 'in_trial', 'suspended', 'closed')),
	CONSTRAINT "case_status_changes_to" CHECK(to_status in ('received', 'in_trial', 'suspended', 'closed'))
);
--> statement-breakpoint
CREATE INDEX `case_status_changes_case` ON `case_status_changes` (`case_id`,`from_status`);--> statement-breakpoint
-- A case's status history is append-only, like the hearing's log it follows: a change stays as it was recorded.
CREATE TRIGGER case_status_changes_no_update BEFORE UPDATE ON case_status_changes
BEGIN
  SELECT RAISE(ABORT, 'case_status_changes is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER case_status_changes_no_delete BEFORE DELETE ON case_status_changes
BEGIN
  SELECT RAISE(ABORT, 'case_status_changes is append-only');
END;
