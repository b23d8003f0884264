ALTER TABLE `notification_outbox` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `notification_outbox` ADD `lease_until` integer;