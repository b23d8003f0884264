CREATE TABLE `motion_attachments` (
	`motion_id` text NOT NULL,
	`position` integer NOT NULL,
	`file_name` text NOT NULL,
	`sha256` text NOT NULL,
	`size` integer NOT NULL,
	`pages` integer NOT NULL,
	PRIMARY KEY(`motion_id`, `position`),
	FOREIGN KEY (`motion_id`) REFERENCES `motions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sha256`) REFERENCES `stored_files`(`sha256`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `motion_history` (
	`motion_id` text NOT NULL,
	`version` integer NOT NULL,
	`at` integer NOT NULL,
	`action` text NOT NULL,
	`actor_user_id` text NOT NULL,
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
CREATE TABLE `motions` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`number` integer NOT NULL,
	`hearing_id` text,
	`kind` text NOT NULL,
	`subtype` text,
	`text` text NOT NULL,
	`refs` text NOT NULL,
	`filer_user_id` text NOT NULL,
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
CREATE UNIQUE INDEX `motions_case_number` ON `motions` (`case_id`,`number`);--> statement-breakpoint
CREATE INDEX `motions_hearing` ON `motions` (`hearing_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_notification_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`locale` text NOT NULL,
	`subject` text,
	`body` text NOT NULL,
	`hearing_id` text,
	`summons_id` text,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_error` text,
	`sent_at` integer,
	FOREIGN KEY (`hearing_id`) REFERENCES `hearings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`summons_id`) REFERENCES `summons`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "notification_outbox_kind" CHECK(kind in ('hearing.scheduled', 'hearing.rescheduled', 'hearing.cancelled', 'summons.withdrawn', 'motion.filed')),
	CONSTRAINT "notification_outbox_channel" CHECK(channel in ('email', 'sms')),
	CONSTRAINT "notification_outbox_status" CHECK(status in ('pending', 'sent', 'failed', 'skipped')),
	CONSTRAINT "notification_outbox_locale" CHECK(locale in ('kk', 'ru'))
);
--> statement-breakpoint
INSERT INTO `__new_notification_outbox`("id", "created_at", "kind", "channel", "recipient", "locale", "subject", "body", "hearing_id", "summons_id", "status", "attempts", "next_attempt_at", "last_error", "sent_at") SELECT "id", "created_at", "kind", "channel", "recipient", "locale", "subject", "body", "hearing_id", "summons_id", "status", "attempts", "next_attempt_at", "last_error", "sent_at" FROM `notification_outbox`;--> statement-breakpoint
DROP TABLE `notification_outbox`;--> statement-breakpoint
ALTER TABLE `__new_notification_outbox` RENAME TO `notification_outbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `notification_outbox_due` ON `notification_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `notification_outbox_summons` ON `notification_outbox` (`summons_id`);--> statement-breakpoint
CREATE INDEX `notification_outbox_hearing` ON `notification_outbox` (`hearing_id`);--> statement-breakpoint
-- A motion's history is append-only, like the hearing's event log.
CREATE TRIGGER motion_history_no_update BEFORE UPDATE ON motion_history
BEGIN
  SELECT RAISE(ABORT, 'motion_history is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER motion_history_no_delete BEFORE DELETE ON motion_history
BEGIN
  SELECT RAISE(ABORT, 'motion_history is append-only');
END;
