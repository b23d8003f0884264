CREATE TABLE `media_room_leases` (
	`hearing_id` text PRIMARY KEY NOT NULL,
	`node_id` text NOT NULL,
	`node_address` text NOT NULL,
	`acquired_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`hearing_id`) REFERENCES `hearings`(`id`) ON UPDATE no action ON DELETE no action
);
