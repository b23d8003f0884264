CREATE TABLE `hearing_protocol_notes` (
	`hearing_id` text NOT NULL,
	`id` text NOT NULL,
	`added_version` integer NOT NULL,
	`at` integer NOT NULL,
	`text` text NOT NULL,
	`speaker_participant_id` text,
	`edits` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`hearing_id`, `id`),
	FOREIGN KEY (`hearing_id`) REFERENCES `hearings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hearing_protocol_notes_order` ON `hearing_protocol_notes` (`hearing_id`,`added_version`);--> statement-breakpoint
-- The notes already stored move out of the live states into their rows, each with the version of the
-- event that added it (the order they are listed in); the states keep an empty list. Both sides are
-- materialised first, so that each state is parsed once, not once per event.
WITH notes AS MATERIALIZED (
  SELECT s.hearing_id, n.value AS note, json_extract(n.value, '$.id') AS id FROM hearing_states s, json_each(s.state, '$.protocol.notes') n
), added AS MATERIALIZED (
  SELECT hearing_id, version, json_extract(payload, '$.noteId') AS id FROM hearing_events WHERE type = 'protocol.note_added'
)
INSERT INTO `hearing_protocol_notes` (`hearing_id`, `id`, `added_version`, `at`, `text`, `speaker_participant_id`, `edits`)
SELECT n.hearing_id, n.id, a.version, json_extract(n.note, '$.at'), json_extract(n.note, '$.text'), json_extract(n.note, '$.speakerParticipantId'), json_extract(n.note, '$.edits')
FROM notes n JOIN added a ON a.hearing_id = n.hearing_id AND a.id = n.id;
--> statement-breakpoint
UPDATE `hearing_states` SET `state` = json_set(`state`, '$.protocol.notes', json('[]')) WHERE json_array_length(`state`, '$.protocol.notes') > 0;
