-- Free spans move into the summary row (decision 110): one row per instrument answers the filter.
DROP TABLE "free_spans" CASCADE;--> statement-breakpoint
ALTER TABLE "free_time_summaries" ADD COLUMN "span_starts" timestamp with time zone[];--> statement-breakpoint
ALTER TABLE "free_time_summaries" ADD COLUMN "span_ends" timestamp with time zone[];--> statement-breakpoint
ALTER TABLE "free_time_summaries" ADD COLUMN "span_fits" integer[];--> statement-breakpoint
-- Rows of up to a page stay uncompressed in the table: a search reads the arrays of every
-- matching instrument several times, and each read of a compressed or moved value unpacks it.
ALTER TABLE "free_time_summaries" SET (toast_tuple_target = 8160);--> statement-breakpoint
-- Without stored spans every instrument is stale until the next refresh, which rebuilds it.
UPDATE "free_time_summaries" SET "covers" = NULL;
