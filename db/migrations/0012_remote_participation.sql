CREATE TABLE `remote_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`hearing_id` text NOT NULL,
	`participant_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`session_hash` text,
	`session_expires_at` integer,
	`revoked_at` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`hearing_id`) REFERENCES `hearings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`participant_id`) REFERENCES `case_participants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `remote_invitations_token` ON `remote_invitations` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `remote_invitations_session` ON `remote_invitations` (`session_hash`);--> statement-breakpoint
CREATE INDEX `remote_invitations_hearing` ON `remote_invitations` (`hearing_id`,`participant_id`);--> statement-breakpoint
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
	CONSTRAINT "notification_outbox_kind" CHECK(kind in ('hearing.scheduled', 'hearing.rescheduled', 'hearing.cancelled', 'summons.withdrawn', 'motion.filed', 'remote.invitation')),
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
CREATE INDEX `notification_outbox_hearing` ON `notification_outbox` (`hearing_id`);