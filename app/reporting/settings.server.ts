// The platform's reporting policy (rated hours, threshold, grade method) and the ratings below it.
import { z } from "zod";
import { reportingSettings } from "../../db/schema";
import { gradeMethods } from "../../db/schema/reporting-vocabulary";
import { recordAudit } from "~/trust/audit.server";
import { getDb, type Tx } from "~/lib/db.server";
import { defaultPolicy, type ReportingPolicy } from "./rating";

export async function reportingPolicy(tx?: Tx): Promise<ReportingPolicy> {
  const db = tx ?? (await getDb());
  const [row] = await db.select().from(reportingSettings).limit(1);
  return row ? { ratedAnnualHours: row.ratedAnnualHours, thresholdPercent: row.thresholdPercent, gradeMethod: row.gradeMethod } : defaultPolicy;
}

const whole = (min: number, max: number) =>
  z.coerce.number({ message: "validation.required" }).int("reporting:validation.whole").min(min, "validation.tooSmall").max(max, "validation.tooBig");

export const policySchema = z.object({
  ratedAnnualHours: whole(1, 8784),
  thresholdPercent: whole(0, 100),
  gradeMethod: z.enum(gradeMethods),
});

export async function savePolicy(policy: ReportingPolicy, actorUserId: string, ip: string | null) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const before = await reportingPolicy(tx);
    const row = { id: 1, ...policy, updatedBy: actorUserId, updatedAt: new Date() };
    await tx.insert(reportingSettings).values(row).onConflictDoUpdate({ target: reportingSettings.id, set: row });
    await recordAudit(tx, {
      actorUserId,
      organizationId: null,
      action: "setting.update",
      entityType: "reporting_settings",
      entityId: "1",
      before,
      after: policy,
      ip,
    });
  });
}
