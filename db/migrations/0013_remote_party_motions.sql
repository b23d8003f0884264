PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_motion_history` (
	`motion_id` text NOT NULL,
	`version` integer NOT NULL,
	`at` integer NOT NULL,
	`action` text NOT NULL,
	`actor_user_id` text,
	`actor_name` text NOT NULL,
	`actor_role` text NOT NULL,
	`hearing_id` text,
	`payload` text NOT NULL,
	PRIMARY KEY(`motion_id`, `version`),
	FOREIGN KEY (`motion_id`) REFERENCES `motions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hearing_id`) REFERENCES `hearings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_motion_history`("motion_id", "version", "at", "action", "actor_user_id", "actor_name", "actor_role", "hearing_id", "payload") SELECT "motion_id", "version", "at", "action", "actor_user_id", "actor_name", "actor_role", "hearing_id", "payload" FROM `motion_history`;--> statement-breakpoint
DROP TABLE `motion_history`;--> statement-breakpoint
ALTER TABLE `__new_motion_history` RENAME TO `motion_history`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__new_motions` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`number` integer NOT NULL,
	`hearing_id` text,
	`kind` text NOT NULL,
	`subtype` text,
	`text` text NOT NULL,
	`refs` text NOT NULL,
	`filer_user_id` text,
	`filer_participant_id` text NOT NULL,
	`filer_role` text NOT NULL,
	`filer_name` text NOT NULL,
	`canonical` text NOT NULL,
	`content_sha256` text NOT NULL,
	`signature` blob NOT NULL,
	`signature_check` text NOT NULL,
	`receipt_number` text NOT NULL,
	`filed_at` integer NOT NULL,
	`status` text NOT NULL,
	`ruling` text,
	`ruled_at` integer,
	`ruled_in_hearing_id` text,
	`version` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hearing_id`) REFERENCES `hearings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`filer_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`filer_participant_id`) REFERENCES `case_participants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ruled_in_hearing_id`) REFERENCES `hearings`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "motions_kind" CHECK(kind in ('motion', 'recusal', 'objection', 'statement')),
	CONSTRAINT "motions_status" CHECK(status in ('filed', 'granted', 'denied', 'granted_in_part', 'deferred'))
);
--> statement-breakpoint
INSERT INTO `__new_motions`("id", "case_id", "number", "hearing_id", "kind", "subtype", "text", "refs", "filer_user_id", "filer_participant_id", "filer_role", "filer_name", "canonical", "content_sha256", "signature", "signature_check", "receipt_number", "filed_at", "status", "ruling", "ruled_at", "ruled_in_hearing_id", "version") SELECT "id", "case_id", "number", "hearing_id", "kind", "subtype", "text", "refs", "filer_user_id", "filer_participant_id", "filer_role", "filer_name", "canonical", "content_sha256", "signature", "signature_check", "receipt_number", "filed_at", "status", "ruling", "ruled_at", "ruled_in_hearing_id", "version" FROM `motions`;--> statement-breakpoint
DROP TABLE `motions`;--> statement-breakpoint
ALTER TABLE `__new_motions` RENAME TO `motions`;--> statement-breakpoint
CREATE UNIQUE INDEX `motions_case_number` ON `motions` (`case_id`,`number`);--> statement-breakpoint
CREATE INDEX `motions_hearing` ON `motions` (`hearing_id`);--> statement-breakpoint
-- Rebuilding motion_history dropped its triggers: it stays append-only (0009_motions.sql).
CREATE TRIGGER motion_history_no_update BEFORE UPDATE ON motion_history
BEGIN
  SELECT RAISE(ABORT, 'motion_history is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER motion_history_no_delete BEFORE DELETE ON motion_history
BEGIN
  SELECT RAISE(ABORT, 'motion_history is append-only');
END;
