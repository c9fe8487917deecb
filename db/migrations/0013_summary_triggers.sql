-- Any change to what the usage summaries are computed from marks the instrument stale; the refresh
-- job rebuilds exactly those instruments. Statement-level triggers with transition tables keep bulk
-- writes (imports, the benchmark's two million usage records) to one insert per statement.
CREATE FUNCTION usage_summary_mark_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage_summary_dirty (instrument_id)
    SELECT DISTINCT n.instrument_id FROM new_rows n
    WHERE EXISTS (SELECT 1 FROM instruments i WHERE i.id = n.instrument_id)
  ON CONFLICT (instrument_id) DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION usage_summary_mark_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A row deleted by the cascade from its instrument has nothing left to summarise.
  INSERT INTO usage_summary_dirty (instrument_id)
    SELECT DISTINCT o.instrument_id FROM old_rows o
    WHERE EXISTS (SELECT 1 FROM instruments i WHERE i.id = o.instrument_id)
  ON CONFLICT (instrument_id) DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION usage_summary_mark_instrument() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage_summary_dirty (instrument_id)
    SELECT n.id FROM new_rows n
  ON CONFLICT (instrument_id) DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER usage_records_summary_insert AFTER INSERT ON usage_records
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_new();
--> statement-breakpoint
CREATE TRIGGER usage_records_summary_update_new AFTER UPDATE ON usage_records
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_new();
--> statement-breakpoint
CREATE TRIGGER usage_records_summary_update_old AFTER UPDATE ON usage_records
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_old();
--> statement-breakpoint
CREATE TRIGGER usage_records_summary_delete AFTER DELETE ON usage_records
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_old();
--> statement-breakpoint
CREATE TRIGGER bookings_summary_insert AFTER INSERT ON bookings
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_new();
--> statement-breakpoint
CREATE TRIGGER bookings_summary_update AFTER UPDATE ON bookings
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_new();
--> statement-breakpoint
CREATE TRIGGER bookings_summary_delete AFTER DELETE ON bookings
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_old();
--> statement-breakpoint
CREATE TRIGGER closures_summary_insert AFTER INSERT ON closures
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_new();
--> statement-breakpoint
CREATE TRIGGER closures_summary_update AFTER UPDATE ON closures
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_new();
--> statement-breakpoint
CREATE TRIGGER closures_summary_delete AFTER DELETE ON closures
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_old();
--> statement-breakpoint
CREATE TRIGGER availability_rules_summary_insert AFTER INSERT ON availability_rules
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_new();
--> statement-breakpoint
CREATE TRIGGER availability_rules_summary_update AFTER UPDATE ON availability_rules
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_new();
--> statement-breakpoint
CREATE TRIGGER availability_rules_summary_delete AFTER DELETE ON availability_rules
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_old();
--> statement-breakpoint
CREATE TRIGGER booking_settings_summary_insert AFTER INSERT ON booking_settings
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_new();
--> statement-breakpoint
CREATE TRIGGER booking_settings_summary_update AFTER UPDATE ON booking_settings
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_new();
--> statement-breakpoint
CREATE TRIGGER instruments_summary_insert AFTER INSERT ON instruments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_instrument();
--> statement-breakpoint
CREATE TRIGGER instruments_summary_update AFTER UPDATE ON instruments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_summary_mark_instrument();
