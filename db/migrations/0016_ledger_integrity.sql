-- Every ledger transaction sums to zero and has at least two entries, checked at commit so the
-- entries of one transaction can be inserted one by one.
CREATE FUNCTION ledger_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  txn uuid;
  total numeric;
  n integer;
BEGIN
  -- Each branch reads a column only its own table has.
  IF TG_TABLE_NAME = 'ledger_entries' THEN
    txn := NEW.transaction_id;
  ELSE
    txn := NEW.id;
  END IF;
  SELECT coalesce(sum(amount_fen), 0), count(*) INTO total, n FROM ledger_entries WHERE transaction_id = txn;
  IF total <> 0 OR n < 2 THEN
    RAISE EXCEPTION 'ledger transaction % is unbalanced (sum %, % entries)', txn, total, n USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balanced();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_transactions_balanced AFTER INSERT ON ledger_transactions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balanced();
--> statement-breakpoint
CREATE TRIGGER ledger_entries_no_update_or_delete BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_transactions_no_update_or_delete BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_transactions_no_truncate BEFORE TRUNCATE ON ledger_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
-- The default platform fee: 10 % of the first 1 000 元, 5 % up to 10 000 元, 2.5 % up to 100 000 元, 2 % beyond.
INSERT INTO platform_fee_bands (from_fen, rate_basis_points) VALUES
  (0, 1000), (100000, 500), (1000000, 250), (10000000, 200);
