-- Hand-edited after drizzle-kit: the rebuilt hearings table (a new status in its CHECK) takes
-- duration_minutes from its default; drizzle-kit copied a column the old table does not have.
-- Migrations run with foreign keys off (db/client.ts), as SQLite's table rebuild requires.
CREATE TABLE `hearing_schedule_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hearing_id` text NOT NULL,
	`at` integer NOT NULL,
	`user_id` text NOT NULL,
	`action` text NOT NULL,
	`reason` text,
	`changes` text,
	FOREIGN KEY (`hearing_id`) REFERENCES `hearings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "hearing_schedule_log_action" CHECK(action in ('scheduled', 'rescheduled', 'cancelled'))
);
--> statement-breakpoint
CREATE INDEX `hearing_schedule_log_hearing` ON `hearing_schedule_log` (`hearing_id`);--> statement-breakpoint
CREATE TABLE `notification_outbox` (
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
	CONSTRAINT "notification_outbox_kind" CHECK(kind in ('hearing.scheduled', 'hearing.rescheduled', 'hearing.cancelled', 'summons.withdrawn')),
	CONSTRAINT "notification_outbox_channel" CHECK(channel in ('email', 'sms')),
	CONSTRAINT "notification_outbox_status" CHECK(status in ('pending', 'sent', 'failed', 'skipped')),
	CONSTRAINT "notification_outbox_locale" CHECK(locale in ('kk', 'ru'))
);
--> statement-breakpoint
CREATE INDEX `notification_outbox_due` ON `notification_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `notification_outbox_summons` ON `notification_outbox` (`summons_id`);--> statement-breakpoint
CREATE INDEX `notification_outbox_hearing` ON `notification_outbox` (`hearing_id`);--> statement-breakpoint
CREATE TABLE `summons` (
	`id` text PRIMARY KEY NOT NULL,
	`hearing_id` text NOT NULL,
	`participant_id` text NOT NULL,
	`summoned_at` integer NOT NULL,
	`withdrawn_at` integer,
	FOREIGN KEY (`hearing_id`) REFERENCES `hearings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`participant_id`) REFERENCES `case_participants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `summons_hearing_participant` ON `summons` (`hearing_id`,`participant_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_hearings` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`hall_id` text NOT NULL,
	`scheduled_at` integer NOT NULL,
	`presiding_judge_id` text NOT NULL,
	`secretary_id` text,
	`status` text DEFAULT 'scheduled' NOT NULL,
	`stage` text,
	`closed` integer DEFAULT false NOT NULL,
	`duration_minutes` integer DEFAULT 120 NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hall_id`) REFERENCES `halls`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`presiding_judge_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`secretary_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "hearings_status" CHECK(status in ('scheduled', 'in_progress', 'break', 'adjourned', 'suspended', 'finished', 'cancelled'))
);
--> statement-breakpoint
INSERT INTO `__new_hearings`("id", "case_id", "hall_id", "scheduled_at", "presiding_judge_id", "secretary_id", "status", "stage", "closed", "version", "created_at") SELECT "id", "case_id", "hall_id", "scheduled_at", "presiding_judge_id", "secretary_id", "status", "stage", "closed", "version", "created_at" FROM `hearings`;--> statement-breakpoint
DROP TABLE `hearings`;--> statement-breakpoint
ALTER TABLE `__new_hearings` RENAME TO `hearings`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `hearings_case` ON `hearings` (`case_id`);--> statement-breakpoint
CREATE INDEX `hearings_scheduled` ON `hearings` (`scheduled_at`);--> statement-breakpoint
ALTER TABLE `halls` ADD `address_kk` text;--> statement-breakpoint
ALTER TABLE `halls` ADD `address_ru` text;