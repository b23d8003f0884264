CREATE TABLE `hall_displays` (
	`user_id` text PRIMARY KEY NOT NULL,
	`hall_id` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hall_id`) REFERENCES `halls`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `hall_displays_hall` ON `hall_displays` (`hall_id`);--> statement-breakpoint
CREATE TABLE `hearing_events` (
	`hearing_id` text NOT NULL,
	`version` integer NOT NULL,
	`at` integer NOT NULL,
	`actor_user_id` text,
	`actor_role` text NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	PRIMARY KEY(`hearing_id`, `version`),
	FOREIGN KEY (`hearing_id`) REFERENCES `hearings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `hearing_events_type` ON `hearing_events` (`hearing_id`,`type`);--> statement-breakpoint
CREATE TABLE `hearing_states` (
	`hearing_id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`hearing_id`) REFERENCES `hearings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_user_roles` (
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`user_id`, `role`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "user_roles_role" CHECK(role in ('judge', 'secretary', 'prosecutor', 'defender', 'office', 'chair', 'admin', 'hall_display'))
);
--> statement-breakpoint
INSERT INTO `__new_user_roles`("user_id", "role") SELECT "user_id", "role" FROM `user_roles`;--> statement-breakpoint
DROP TABLE `user_roles`;--> statement-breakpoint
ALTER TABLE `__new_user_roles` RENAME TO `user_roles`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
-- The hearing's event log is append-only, like the audit log: what happened in the hall stays as it was recorded.
CREATE TRIGGER hearing_events_no_update BEFORE UPDATE ON hearing_events
BEGIN
  SELECT RAISE(ABORT, 'hearing_events is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER hearing_events_no_delete BEFORE DELETE ON hearing_events
BEGIN
  SELECT RAISE(ABORT, 'hearing_events is append-only');
END;
