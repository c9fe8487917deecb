import { inArray } from "drizzle-orm";
import type { Tx } from "../../app/lib/db.server";
import { instruments, qualifications, users } from "../schema";

const DAY = 86_400_000;
const isoDate = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Training records of the demo lab: the SME's customer is trained on the TEM and the SEM for a
 * year, so self-operated use is open to them; the institute's researcher was trained on the TEM
 * two years ago and the record has lapsed, which shows how renewal is explained.
 */
export async function seedDemoQualifications(tx: Tx, now: Date): Promise<void> {
  const people = await tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.email, ["customer@weina.openlab.test", "customer@iccas.openlab.test", "staff@zju.openlab.test"]));
  const tools = await tx
    .select({ id: instruments.id, slug: instruments.slug })
    .from(instruments)
    .where(inArray(instruments.slug, ["jem-2100f-zju-emlab", "su8010-zju-emlab"]));
  const user = (email: string) => people.find((p) => p.email === email)!.id;
  const instrument = (slug: string) => tools.find((t) => t.slug === slug)!.id;
  const staff = user("staff@zju.openlab.test");
  const record = (email: string, slug: string, trainedDaysAgo: number, validDays: number) => ({
    userId: user(email),
    instrumentId: instrument(slug),
    trainedOn: isoDate(new Date(now.getTime() - trainedDaysAgo * DAY)),
    expiresOn: isoDate(new Date(now.getTime() + (validDays - trainedDaysAgo) * DAY)),
    trainer: "李明",
    note: "上机操作培训及考核合格",
    recordedBy: staff,
  });
  await tx
    .insert(qualifications)
    .values([
      record("customer@weina.openlab.test", "jem-2100f-zju-emlab", 30, 365),
      record("customer@weina.openlab.test", "su8010-zju-emlab", 30, 365),
      record("customer@iccas.openlab.test", "jem-2100f-zju-emlab", 730, 365),
    ]);
}
