CREATE TABLE "media_room_leases" (
	"hearing_id" text PRIMARY KEY NOT NULL,
	"node_id" text NOT NULL,
	"node_address" text NOT NULL,
	"acquired_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "media_room_leases" ADD CONSTRAINT "media_room_leases_hearing_id_hearings_id_fk" FOREIGN KEY ("hearing_id") REFERENCES "public"."hearings"("id") ON DELETE no action ON UPDATE no action;