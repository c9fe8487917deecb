-- No two live bookings overlap on one instrument (DESIGN.md §4): the database is the final judge.
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (instrument_id WITH =, period WITH &&) WHERE (status IN ('requested','confirmed','in_use'));
--> statement-breakpoint
-- booking_events is an audit trail: rows are only ever added.
CREATE FUNCTION booking_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'booking_events is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER booking_events_no_update_or_delete BEFORE UPDATE OR DELETE ON booking_events
  FOR EACH ROW EXECUTE FUNCTION booking_events_append_only();
--> statement-breakpoint
CREATE TRIGGER booking_events_no_truncate BEFORE TRUNCATE ON booking_events
  FOR EACH STATEMENT EXECUTE FUNCTION booking_events_append_only();
