CREATE TABLE "free_spans" (
	"instrument_id" uuid NOT NULL,
	"span" "tstzrange" NOT NULL,
	"fit_minutes" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "free_time_summaries" (
	"instrument_id" uuid PRIMARY KEY NOT NULL,
	"changes" bigint DEFAULT 0 NOT NULL,
	"seen" bigint,
	"covers" "tstzrange",
	"longest_minutes" integer,
	"refreshed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "free_spans" ADD CONSTRAINT "free_spans_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "free_spans_instrument_end_idx" ON "free_spans" USING btree ("instrument_id",upper("span"),"fit_minutes","span");--> statement-breakpoint
-- Any change to what free time is computed from counts as a change of the instrument's free spans
-- (decision 044). Statement-level triggers keep bulk writes to one upsert per statement; instruments
-- in id order so two writers never wait on each other crosswise.
CREATE FUNCTION free_time_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO free_time_summaries (instrument_id, changes)
      SELECT n.instrument_id, 1 FROM new_rows n GROUP BY n.instrument_id ORDER BY n.instrument_id
    ON CONFLICT (instrument_id) DO UPDATE SET changes = free_time_summaries.changes + 1;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO free_time_summaries (instrument_id, changes)
      SELECT o.instrument_id, 1 FROM old_rows o GROUP BY o.instrument_id ORDER BY o.instrument_id
    ON CONFLICT (instrument_id) DO UPDATE SET changes = free_time_summaries.changes + 1;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION free_time_lab_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO free_time_summaries (instrument_id, changes)
    SELECT i.id, 1 FROM instruments i WHERE i.lab_id = NEW.id ORDER BY i.id
  ON CONFLICT (instrument_id) DO UPDATE SET changes = free_time_summaries.changes + 1;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION free_time_instrument_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO free_time_summaries (instrument_id, changes) VALUES (NEW.id, 1)
  ON CONFLICT (instrument_id) DO UPDATE SET changes = free_time_summaries.changes + 1;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER bookings_free_time_insert AFTER INSERT ON bookings
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION free_time_changed();
--> statement-breakpoint
CREATE TRIGGER bookings_free_time_update AFTER UPDATE ON bookings
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION free_time_changed();
--> statement-breakpoint
CREATE TRIGGER bookings_free_time_delete AFTER DELETE ON bookings
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION free_time_changed();
--> statement-breakpoint
CREATE TRIGGER closures_free_time_insert AFTER INSERT ON closures
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION free_time_changed();
--> statement-breakpoint
CREATE TRIGGER closures_free_time_update AFTER UPDATE ON closures
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION free_time_changed();
--> statement-breakpoint
CREATE TRIGGER closures_free_time_delete AFTER DELETE ON closures
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION free_time_changed();
--> statement-breakpoint
CREATE TRIGGER availability_rules_free_time_insert AFTER INSERT ON availability_rules
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION free_time_changed();
--> statement-breakpoint
CREATE TRIGGER availability_rules_free_time_update AFTER UPDATE ON availability_rules
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION free_time_changed();
--> statement-breakpoint
CREATE TRIGGER availability_rules_free_time_delete AFTER DELETE ON availability_rules
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION free_time_changed();
--> statement-breakpoint
CREATE TRIGGER booking_settings_free_time_insert AFTER INSERT ON booking_settings
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION free_time_changed();
--> statement-breakpoint
CREATE TRIGGER booking_settings_free_time_update AFTER UPDATE ON booking_settings
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION free_time_changed();
--> statement-breakpoint
CREATE TRIGGER booking_settings_free_time_delete AFTER DELETE ON booking_settings
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION free_time_changed();
--> statement-breakpoint
CREATE TRIGGER labs_free_time_zone AFTER UPDATE OF time_zone ON labs
  FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone) EXECUTE FUNCTION free_time_lab_changed();
--> statement-breakpoint
CREATE TRIGGER instruments_free_time_lab AFTER UPDATE OF lab_id ON instruments
  FOR EACH ROW WHEN (OLD.lab_id IS DISTINCT FROM NEW.lab_id) EXECUTE FUNCTION free_time_instrument_moved();
