ALTER TABLE "lab_invitations" RENAME TO "invitations";--> statement-breakpoint
ALTER TABLE "invitations" RENAME CONSTRAINT "lab_invitations_pkey" TO "invitations_pkey";--> statement-breakpoint
ALTER TABLE "invitations" RENAME CONSTRAINT "lab_invitations_token_hash_unique" TO "invitations_token_hash_unique";--> statement-breakpoint
ALTER TABLE "invitations" RENAME CONSTRAINT "lab_invitations_lab_id_labs_id_fk" TO "invitations_lab_id_labs_id_fk";--> statement-breakpoint
ALTER TABLE "invitations" RENAME CONSTRAINT "lab_invitations_invited_by_users_id_fk" TO "invitations_invited_by_users_id_fk";--> statement-breakpoint
ALTER TABLE "invitations" RENAME CONSTRAINT "lab_invitations_accepted_user_id_users_id_fk" TO "invitations_accepted_user_id_users_id_fk";--> statement-breakpoint
ALTER TABLE "invitations" RENAME CONSTRAINT "lab_invitations_accepted_check" TO "invitations_accepted_check";--> statement-breakpoint
ALTER INDEX "lab_invitations_lab_idx" RENAME TO "invitations_lab_idx";--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "organization_id" uuid;--> statement-breakpoint
UPDATE "invitations" SET "organization_id" = "labs"."organization_id" FROM "labs" WHERE "labs"."id" = "invitations"."lab_id";--> statement-breakpoint
ALTER TABLE "invitations" ALTER COLUMN "organization_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "role" text DEFAULT 'lab_staff' NOT NULL;--> statement-breakpoint
ALTER TABLE "invitations" ALTER COLUMN "role" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "invitations" ALTER COLUMN "lab_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invitations_organization_idx" ON "invitations" USING btree ("organization_id");--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_role_check" CHECK (role in ('lab_staff', 'customer'));--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_lab_check" CHECK ((role = 'lab_staff') = (lab_id is not null));
