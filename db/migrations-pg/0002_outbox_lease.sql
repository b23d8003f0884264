ALTER TABLE "notification_outbox" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD COLUMN "lease_until" timestamp (3) with time zone;