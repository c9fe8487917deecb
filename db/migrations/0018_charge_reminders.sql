CREATE TABLE "charge_reminders" (
	"charge_id" uuid NOT NULL,
	"days_overdue" integer NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "charge_reminders_charge_id_days_overdue_pk" PRIMARY KEY("charge_id","days_overdue"),
	CONSTRAINT "charge_reminders_days_check" CHECK (days_overdue > 0)
);
--> statement-breakpoint
ALTER TABLE "charge_reminders" ADD CONSTRAINT "charge_reminders_charge_id_charges_id_fk" FOREIGN KEY ("charge_id") REFERENCES "public"."charges"("id") ON DELETE no action ON UPDATE no action;