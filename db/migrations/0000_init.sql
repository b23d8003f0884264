CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` text,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`outcome` text NOT NULL,
	`case_id` text,
	`target` text,
	`ip` text,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `audit_case` ON `audit_log` (`case_id`);--> statement-breakpoint
CREATE INDEX `audit_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `case_packages` (
	`case_id` text PRIMARY KEY NOT NULL,
	`package_id` text NOT NULL,
	`manifest_sha256` text NOT NULL,
	`signature_sha256` text NOT NULL,
	`signer` text NOT NULL,
	`ingestion_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`manifest_sha256`) REFERENCES `stored_files`(`sha256`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`signature_sha256`) REFERENCES `stored_files`(`sha256`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ingestion_id`) REFERENCES `ingestions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `case_packages_package_id_unique` ON `case_packages` (`package_id`);--> statement-breakpoint
CREATE TABLE `case_participants` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`role` text NOT NULL,
	`full_name` text NOT NULL,
	`iin` text,
	`birth_date` text,
	`address` text,
	`email` text,
	`phone` text,
	`language` text,
	`in_custody` integer,
	`source_id` text,
	`represented_by` text,
	`user_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "case_participants_role" CHECK(role in ('defendant', 'victim', 'victim_representative', 'civil_plaintiff', 'civil_defendant', 'legal_representative', 'witness', 'expert', 'specialist', 'interpreter', 'prosecutor', 'defender'))
);
--> statement-breakpoint
CREATE INDEX `case_participants_case` ON `case_participants` (`case_id`);--> statement-breakpoint
CREATE INDEX `case_participants_user` ON `case_participants` (`user_id`);--> statement-breakpoint
CREATE TABLE `case_staff` (
	`case_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`assigned_at` integer NOT NULL,
	PRIMARY KEY(`case_id`, `user_id`, `role`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "case_staff_role" CHECK(role in ('judge', 'secretary'))
);
--> statement-breakpoint
CREATE INDEX `case_staff_user` ON `case_staff` (`user_id`);--> statement-breakpoint
CREATE TABLE `cases` (
	`id` text PRIMARY KEY NOT NULL,
	`court_id` text NOT NULL,
	`case_number` text NOT NULL,
	`erdr_number` text,
	`category` text NOT NULL,
	`language` text NOT NULL,
	`summary_kk` text NOT NULL,
	`summary_ru` text NOT NULL,
	`summary_en` text NOT NULL,
	`qualification` text NOT NULL,
	`description` text,
	`status` text DEFAULT 'received' NOT NULL,
	`received_at` integer NOT NULL,
	`suspended_at` integer,
	`closed_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`court_id`) REFERENCES `courts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "cases_status" CHECK(status in ('received', 'in_trial', 'suspended', 'closed')),
	CONSTRAINT "cases_category" CHECK(category in ('crime', 'misdemeanor')),
	CONSTRAINT "cases_language" CHECK(language in ('kk', 'ru'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_case_number_unique` ON `cases` (`case_number`);--> statement-breakpoint
CREATE UNIQUE INDEX `cases_erdr_number_unique` ON `cases` (`erdr_number`);--> statement-breakpoint
CREATE INDEX `cases_court_status` ON `cases` (`court_id`,`status`);--> statement-breakpoint
CREATE TABLE `courts` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name_kk` text NOT NULL,
	`name_ru` text NOT NULL,
	`name_en` text NOT NULL,
	`timezone` text DEFAULT 'Asia/Almaty' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `courts_code_unique` ON `courts` (`code`);--> statement-breakpoint
CREATE TABLE `document_signatures` (
	`id` text PRIMARY KEY NOT NULL,
	`document_id` text NOT NULL,
	`file_sha256` text NOT NULL,
	`file_name` text NOT NULL,
	`signer` text NOT NULL,
	`verified_at` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`file_sha256`) REFERENCES `stored_files`(`sha256`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `document_signatures_document` ON `document_signatures` (`document_id`);--> statement-breakpoint
CREATE TABLE `documents` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`volume_id` text NOT NULL,
	`position` integer NOT NULL,
	`source_id` text NOT NULL,
	`kind` text NOT NULL,
	`type` text NOT NULL,
	`title` text NOT NULL,
	`date` text,
	`author` text,
	`file_sha256` text NOT NULL,
	`file_name` text NOT NULL,
	`size` integer NOT NULL,
	`mime_type` text NOT NULL,
	`pages` integer,
	`sheet_from` integer,
	`sheet_to` integer,
	`duration_sec` integer,
	`attached_to_source_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`volume_id`) REFERENCES `volumes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`file_sha256`) REFERENCES `stored_files`(`sha256`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "documents_kind" CHECK(kind in ('pdf', 'electronic', 'media'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `documents_volume_position` ON `documents` (`volume_id`,`position`);--> statement-breakpoint
CREATE UNIQUE INDEX `documents_case_source` ON `documents` (`case_id`,`source_id`);--> statement-breakpoint
CREATE TABLE `halls` (
	`id` text PRIMARY KEY NOT NULL,
	`court_id` text NOT NULL,
	`code` text NOT NULL,
	`name_kk` text NOT NULL,
	`name_ru` text NOT NULL,
	`name_en` text NOT NULL,
	FOREIGN KEY (`court_id`) REFERENCES `courts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `halls_court_code` ON `halls` (`court_id`,`code`);--> statement-breakpoint
CREATE TABLE `hearings` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`hall_id` text NOT NULL,
	`scheduled_at` integer NOT NULL,
	`presiding_judge_id` text NOT NULL,
	`secretary_id` text,
	`status` text DEFAULT 'scheduled' NOT NULL,
	`stage` text,
	`closed` integer DEFAULT false NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hall_id`) REFERENCES `halls`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`presiding_judge_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`secretary_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "hearings_status" CHECK(status in ('scheduled', 'in_progress', 'break', 'adjourned', 'suspended', 'finished'))
);
--> statement-breakpoint
CREATE INDEX `hearings_case` ON `hearings` (`case_id`);--> statement-breakpoint
CREATE INDEX `hearings_scheduled` ON `hearings` (`scheduled_at`);--> statement-breakpoint
CREATE TABLE `ingestions` (
	`id` text PRIMARY KEY NOT NULL,
	`received_at` integer NOT NULL,
	`via` text NOT NULL,
	`court_code` text,
	`package_id` text,
	`erdr_number` text,
	`sender_organ` text,
	`sender_officer` text,
	`manifest_sha256` text,
	`archive_bytes` integer,
	`outcome` text NOT NULL,
	`case_id` text,
	`problems` text,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ingestions_outcome" CHECK(outcome in ('accepted', 'rejected', 'duplicate_erdr', 'already_accepted'))
);
--> statement-breakpoint
CREATE INDEX `ingestions_received` ON `ingestions` (`received_at`);--> statement-breakpoint
CREATE INDEX `ingestions_package` ON `ingestions` (`package_id`);--> statement-breakpoint
CREATE TABLE `integration_clients` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `integration_clients_name_unique` ON `integration_clients` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `integration_clients_token_hash_unique` ON `integration_clients` (`token_hash`);--> statement-breakpoint
CREATE TABLE `material_evidence` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`source_id` text NOT NULL,
	`description` text NOT NULL,
	`storage` text,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `material_evidence_case` ON `material_evidence` (`case_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`ip` text,
	`user_agent` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `stored_files` (
	`sha256` text PRIMARY KEY NOT NULL,
	`size` integer NOT NULL,
	`stored_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `user_roles` (
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`user_id`, `role`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "user_roles_role" CHECK(role in ('judge', 'secretary', 'prosecutor', 'defender', 'office', 'chair', 'admin'))
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`password_hash` text NOT NULL,
	`full_name` text NOT NULL,
	`iin` text,
	`email` text,
	`phone` text,
	`locale` text DEFAULT 'ru' NOT NULL,
	`court_id` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`court_id`) REFERENCES `courts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "users_locale" CHECK(locale in ('kk', 'ru', 'en'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);--> statement-breakpoint
CREATE TABLE `volumes` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`sheets` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `volumes_case_number` ON `volumes` (`case_id`,`number`);