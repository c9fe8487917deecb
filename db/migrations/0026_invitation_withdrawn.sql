ALTER TABLE "invitations" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
-- Invitations withdrawn before this column existed had their expiry set to the moment; the audit log names them.
UPDATE "invitations" SET "withdrawn_at" = "audit_log"."at" FROM "audit_log" WHERE "audit_log"."action" = 'invitation.withdraw' AND "audit_log"."before"->>'invitationId' = "invitations"."id"::text AND "invitations"."accepted_at" IS NULL;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_withdrawn_check" CHECK (withdrawn_at is null or accepted_at is null);
