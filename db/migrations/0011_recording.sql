CREATE TABLE `recording_segments` (
	`track_id` text NOT NULL,
	`seq` integer NOT NULL,
	`file` text NOT NULL,
	`bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`chain` text NOT NULL,
	`started_at` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	PRIMARY KEY(`track_id`, `seq`),
	FOREIGN KEY (`track_id`) REFERENCES `recording_tracks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `recording_tracks` (
	`id` text PRIMARY KEY NOT NULL,
	`hearing_id` text NOT NULL,
	`source_id` text NOT NULL,
	`kind` text NOT NULL,
	`role` text NOT NULL,
	`label` text NOT NULL,
	`user_id` text,
	`participant_id` text,
	`dir` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`hearing_id`) REFERENCES `hearings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recording_tracks_source` ON `recording_tracks` (`hearing_id`,`source_id`);--> statement-breakpoint
-- The manifest is the record's proof: a row once written is never changed (retention deletes whole recordings).
CREATE TRIGGER `recording_segments_no_update` BEFORE UPDATE ON `recording_segments` BEGIN SELECT RAISE(ABORT, 'recording manifest rows are never changed'); END;
