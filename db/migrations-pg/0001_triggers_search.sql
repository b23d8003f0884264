-- What drizzle-kit does not generate from db/schema.pg.ts: the append-only triggers, the indexes
-- the SQLite migrations add by hand, and the full-text search tables. The PostgreSQL counterpart
-- of db/migrations/0001, 0003, 0006-0011, 0014 and 0016 (the hand-written parts).

-- ==== Append-only records ======================================================================
-- As in SQLite, no row of these tables may be changed or removed, whoever asks; the message names
-- the table, like SQLite's RAISE(ABORT, '<table> is append-only'). PostgreSQL also has TRUNCATE,
-- which row triggers do not see, so it is refused by a statement trigger of its own.
CREATE FUNCTION ezal_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', coalesce(TG_ARGV[0], TG_TABLE_NAME || ' is append-only') USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION ezal_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION ezal_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain FOR EACH ROW EXECUTE FUNCTION ezal_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain FOR EACH STATEMENT EXECUTE FUNCTION ezal_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION ezal_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION ezal_refuse_change();
--> statement-breakpoint
CREATE TRIGGER hearing_events_append_only BEFORE UPDATE OR DELETE ON hearing_events FOR EACH ROW EXECUTE FUNCTION ezal_refuse_change();
--> statement-breakpoint
CREATE TRIGGER hearing_events_no_truncate BEFORE TRUNCATE ON hearing_events FOR EACH STATEMENT EXECUTE FUNCTION ezal_refuse_change();
--> statement-breakpoint
CREATE TRIGGER motion_history_append_only BEFORE UPDATE OR DELETE ON motion_history FOR EACH ROW EXECUTE FUNCTION ezal_refuse_change();
--> statement-breakpoint
CREATE TRIGGER motion_history_no_truncate BEFORE TRUNCATE ON motion_history FOR EACH STATEMENT EXECUTE FUNCTION ezal_refuse_change();
--> statement-breakpoint
CREATE TRIGGER case_status_changes_append_only BEFORE UPDATE OR DELETE ON case_status_changes FOR EACH ROW EXECUTE FUNCTION ezal_refuse_change();
--> statement-breakpoint
CREATE TRIGGER case_status_changes_no_truncate BEFORE TRUNCATE ON case_status_changes FOR EACH STATEMENT EXECUTE FUNCTION ezal_refuse_change();
--> statement-breakpoint
-- The recording manifest: a row once written is never changed (retention deletes whole recordings).
CREATE TRIGGER recording_segments_no_update BEFORE UPDATE ON recording_segments FOR EACH ROW EXECUTE FUNCTION ezal_refuse_change('recording manifest rows are never changed');
--> statement-breakpoint

-- ==== Indexes the SQLite migrations add by hand (db/migrations/0010_acts_situation.sql) ==========
CREATE INDEX cases_court_received ON cases (court_id, received_at, category, id);
--> statement-breakpoint
CREATE INDEX cases_court_status_cover ON cases (court_id, status, received_at, category, id);
--> statement-breakpoint
CREATE INDEX case_staff_case_role ON case_staff (case_id, role, user_id);
--> statement-breakpoint
CREATE INDEX hearings_status ON hearings (status);
--> statement-breakpoint
CREATE INDEX hearings_case_status_time ON hearings (case_id, status, scheduled_at);
--> statement-breakpoint
CREATE INDEX case_participants_custody ON case_participants (case_id) WHERE role = 'defendant' AND in_custody;
--> statement-breakpoint

-- ==== Full-text search ===========================================================================
-- SQLite keeps the text in FTS5 tables (`case_text`, `acts_text`, tokenizer unicode61). Here they
-- are plain tables with a stored, generated tsvector per text and a GIN index on it. The text
-- configuration follows the language of proceedings: Russian texts are stemmed ('russian':
-- «кража» finds «кражи»), Kazakh ones are split into words as written ('simple'; PostgreSQL has
-- no Kazakh stemmer). `ezal_search_config` is the one place that maps a language to its
-- configuration; a search passes the same configuration to its tsquery, e.g.
--   body_tsv @@ websearch_to_tsquery(ezal_search_config('ru'), 'кража')
-- for one case (one language); across cases, the OR of both configurations' queries.
CREATE FUNCTION ezal_search_config(language text) RETURNS regconfig LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE language WHEN 'ru' THEN 'pg_catalog.russian'::regconfig ELSE 'pg_catalog.simple'::regconfig END;
--> statement-breakpoint
-- One row per page with text. `id` is SQLite's row id: the case's key (case_text_keys) × 2^32 +
-- volume × 2^16 + sheet, so one case's pages are one range of the primary key, in case-file order.
CREATE TABLE case_text (
  id bigint PRIMARY KEY,
  document_id text NOT NULL,
  page integer NOT NULL,
  language text NOT NULL CONSTRAINT case_text_language CHECK (language IN ('kk', 'ru')),
  body text NOT NULL,
  body_tsv tsvector GENERATED ALWAYS AS (to_tsvector(ezal_search_config(language), body)) STORED
);
--> statement-breakpoint
CREATE INDEX case_text_search ON case_text USING gin (body_tsv);
--> statement-breakpoint
-- Judicial acts: `body` as written, `public_body` depersonalised (server/src/acts/depersonalise.ts)
-- and `tags`, the act's facts as tokens (server/src/acts/act-tags.ts), matched as written.
-- `text_key` is judicial_acts.text_key (SQLite's row id of acts_text).
CREATE TABLE acts_text (
  text_key bigint PRIMARY KEY,
  language text NOT NULL CONSTRAINT acts_text_language CHECK (language IN ('kk', 'ru')),
  body text NOT NULL,
  public_body text NOT NULL,
  tags text NOT NULL,
  body_tsv tsvector GENERATED ALWAYS AS (to_tsvector(ezal_search_config(language), body)) STORED,
  public_body_tsv tsvector GENERATED ALWAYS AS (to_tsvector(ezal_search_config(language), public_body)) STORED,
  tags_tsv tsvector GENERATED ALWAYS AS (to_tsvector('pg_catalog.simple'::regconfig, tags)) STORED
);
--> statement-breakpoint
CREATE INDEX acts_text_body_search ON acts_text USING gin (body_tsv);
--> statement-breakpoint
CREATE INDEX acts_text_public_body_search ON acts_text USING gin (public_body_tsv);
--> statement-breakpoint
CREATE INDEX acts_text_tags_search ON acts_text USING gin (tags_tsv);
